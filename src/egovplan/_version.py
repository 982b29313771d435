"""The version of egovplan, read by the build backend and by ``egovplan.__version__``."""

__version__ = "0.1.0.dev0"
