"""egovplan: typed models, validation and exact budget arithmetic for e-government plans.

The public API is re-exported here and loaded lazily: ``import egovplan`` is cheap, and a
name's module is imported the first time the name is used.

>>> import egovplan
>>> egovplan.Money("901000000000", "VND").currency
'VND'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from egovplan._version import __version__

if TYPE_CHECKING:
    from egovplan.agency import Agency as Agency
    from egovplan.agency import Level as Level
    from egovplan.amounts import format_amount as format_amount
    from egovplan.amounts import format_money as format_money
    from egovplan.amounts import parse_amount as parse_amount
    from egovplan.breakdowns import Breakdown as Breakdown
    from egovplan.breakdowns import Pivot as Pivot
    from egovplan.breakdowns import breakdown as breakdown
    from egovplan.breakdowns import combine as combine
    from egovplan.breakdowns import pivot as pivot
    from egovplan.catalog import Catalogue as Catalogue
    from egovplan.catalog import Catalogues as Catalogues
    from egovplan.catalog import Kind as Kind
    from egovplan.categories import BudgetCategory as BudgetCategory
    from egovplan.dates import format_date as format_date
    from egovplan.dates import parse_date as parse_date
    from egovplan.display import DisplayOptions as DisplayOptions
    from egovplan.display import display_context as display_context
    from egovplan.display import display_options as display_options
    from egovplan.display import set_display as set_display
    from egovplan.document import Citation as Citation
    from egovplan.document import DocumentRef as DocumentRef
    from egovplan.document import EntryIntoForce as EntryIntoForce
    from egovplan.document import PlanMetadata as PlanMetadata
    from egovplan.document import Signatory as Signatory
    from egovplan.errors import CurrencyMismatchError as CurrencyMismatchError
    from egovplan.errors import EgovplanError as EgovplanError
    from egovplan.errors import FieldTypeError as FieldTypeError
    from egovplan.errors import FieldValueError as FieldValueError
    from egovplan.errors import LoadError as LoadError
    from egovplan.errors import MissingDependencyError as MissingDependencyError
    from egovplan.errors import ParseError as ParseError
    from egovplan.errors import Problem as Problem
    from egovplan.errors import UnknownReferenceError as UnknownReferenceError
    from egovplan.errors import WriteError as WriteError
    from egovplan.exchange import ExchangeRate as ExchangeRate
    from egovplan.exchange import ExchangeRates as ExchangeRates
    from egovplan.executions import Disbursement as Disbursement
    from egovplan.executions import execution as execution
    from egovplan.files import FormatError as FormatError
    from egovplan.files import dump as dump
    from egovplan.files import dumpb as dumpb
    from egovplan.files import dumps as dumps
    from egovplan.files import load as load
    from egovplan.files import loads as loads
    from egovplan.flows import Flow as Flow
    from egovplan.frameworks import Framework as Framework
    from egovplan.frameworks import framework as framework
    from egovplan.funding import BudgetLine as BudgetLine
    from egovplan.funding import Funding as Funding
    from egovplan.funding import FundingSource as FundingSource
    from egovplan.funding import SpendingRule as SpendingRule
    from egovplan.indicator import Indicator as Indicator
    from egovplan.indicator import Observation as Observation
    from egovplan.indicator import StatedRank as StatedRank
    from egovplan.labels import Labels as Labels
    from egovplan.limits import Limits as Limits
    from egovplan.money import AllocationError as AllocationError
    from egovplan.money import Money as Money
    from egovplan.money import allocate_units as allocate_units
    from egovplan.money import shares as shares
    from egovplan.objective import Baseline as Baseline
    from egovplan.objective import Comparator as Comparator
    from egovplan.objective import LevelTarget as LevelTarget
    from egovplan.objective import Objective as Objective
    from egovplan.objective import ObjectiveKind as ObjectiveKind
    from egovplan.objective import Target as Target
    from egovplan.objective import TargetKind as TargetKind
    from egovplan.objective import TargetPart as TargetPart
    from egovplan.objective import TargetRef as TargetRef
    from egovplan.period import Period as Period
    from egovplan.period import Quarter as Quarter
    from egovplan.phasing import phase as phase
    from egovplan.plan import Annex as Annex
    from egovplan.plan import Plan as Plan
    from egovplan.plan import Section as Section
    from egovplan.progress import attainment as attainment
    from egovplan.progress import composite_scores as composite_scores
    from egovplan.ranks import rank_changes as rank_changes
    from egovplan.ranks import rank_table as rank_table
    from egovplan.reconciliation import reconcile as reconcile
    from egovplan.reporting import ReportingDuty as ReportingDuty
    from egovplan.rulebook import Issue as Issue
    from egovplan.rulebook import Rule as Rule
    from egovplan.rulebook import RuleRegistry as RuleRegistry
    from egovplan.rulebook import Ruleset as Ruleset
    from egovplan.rulebook import Severity as Severity
    from egovplan.schema import json_schema as json_schema
    from egovplan.serialization import from_dict as from_dict
    from egovplan.serialization import to_dict as to_dict
    from egovplan.task import Assignment as Assignment
    from egovplan.task import Schedule as Schedule
    from egovplan.task import Task as Task
    from egovplan.units import UnitError as UnitError
    from egovplan.units import convert as convert
    from egovplan.units import quantity as quantity
    from egovplan.validation import Report as Report
    from egovplan.validation import validate as validate
    from egovplan.validation import validate_together as validate_together
    from egovplan.versions import FORMAT_HISTORY as FORMAT_HISTORY
    from egovplan.versions import FormatHistory as FormatHistory
    from egovplan.versions import FormatVersion as FormatVersion
    from egovplan.versions import UnknownFormatVersionError as UnknownFormatVersionError
    from egovplan.when import When as When
    from egovplan.words import amount_to_words as amount_to_words
    from egovplan.words import words_to_amount as words_to_amount

#: Public name -> the module that defines it. Kept in step with the TYPE_CHECKING block
#: above by tests/test_api.py.
_EXPORTS: dict[str, str] = {
    "Agency": "egovplan.agency",
    "Level": "egovplan.agency",
    "AllocationError": "egovplan.money",
    "allocate_units": "egovplan.money",
    "shares": "egovplan.money",
    "format_amount": "egovplan.amounts",
    "format_money": "egovplan.amounts",
    "parse_amount": "egovplan.amounts",
    "Breakdown": "egovplan.breakdowns",
    "Disbursement": "egovplan.executions",
    "Pivot": "egovplan.breakdowns",
    "breakdown": "egovplan.breakdowns",
    "combine": "egovplan.breakdowns",
    "execution": "egovplan.executions",
    "phase": "egovplan.phasing",
    "pivot": "egovplan.breakdowns",
    "reconcile": "egovplan.reconciliation",
    "Catalogue": "egovplan.catalog",
    "Catalogues": "egovplan.catalog",
    "Kind": "egovplan.catalog",
    "format_date": "egovplan.dates",
    "parse_date": "egovplan.dates",
    "DisplayOptions": "egovplan.display",
    "display_context": "egovplan.display",
    "display_options": "egovplan.display",
    "set_display": "egovplan.display",
    "Citation": "egovplan.document",
    "DocumentRef": "egovplan.document",
    "EntryIntoForce": "egovplan.document",
    "PlanMetadata": "egovplan.document",
    "Signatory": "egovplan.document",
    "CurrencyMismatchError": "egovplan.errors",
    "EgovplanError": "egovplan.errors",
    "FieldTypeError": "egovplan.errors",
    "FieldValueError": "egovplan.errors",
    "LoadError": "egovplan.errors",
    "MissingDependencyError": "egovplan.errors",
    "ParseError": "egovplan.errors",
    "Problem": "egovplan.errors",
    "UnknownReferenceError": "egovplan.errors",
    "WriteError": "egovplan.errors",
    "ExchangeRate": "egovplan.exchange",
    "ExchangeRates": "egovplan.exchange",
    "FormatError": "egovplan.files",
    "Limits": "egovplan.limits",
    "dump": "egovplan.files",
    "dumpb": "egovplan.files",
    "dumps": "egovplan.files",
    "load": "egovplan.files",
    "loads": "egovplan.files",
    "Flow": "egovplan.flows",
    "Framework": "egovplan.frameworks",
    "framework": "egovplan.frameworks",
    "BudgetCategory": "egovplan.categories",
    "BudgetLine": "egovplan.funding",
    "Funding": "egovplan.funding",
    "FundingSource": "egovplan.funding",
    "SpendingRule": "egovplan.funding",
    "Indicator": "egovplan.indicator",
    "Observation": "egovplan.indicator",
    "StatedRank": "egovplan.indicator",
    "Labels": "egovplan.labels",
    "Money": "egovplan.money",
    "Baseline": "egovplan.objective",
    "Comparator": "egovplan.objective",
    "LevelTarget": "egovplan.objective",
    "Objective": "egovplan.objective",
    "ObjectiveKind": "egovplan.objective",
    "Target": "egovplan.objective",
    "TargetKind": "egovplan.objective",
    "TargetPart": "egovplan.objective",
    "TargetRef": "egovplan.objective",
    "Period": "egovplan.period",
    "Quarter": "egovplan.period",
    "Plan": "egovplan.plan",
    "Annex": "egovplan.plan",
    "Section": "egovplan.plan",
    "attainment": "egovplan.progress",
    "composite_scores": "egovplan.progress",
    "rank_changes": "egovplan.ranks",
    "rank_table": "egovplan.ranks",
    "ReportingDuty": "egovplan.reporting",
    "json_schema": "egovplan.schema",
    "from_dict": "egovplan.serialization",
    "to_dict": "egovplan.serialization",
    "Assignment": "egovplan.task",
    "Schedule": "egovplan.task",
    "Task": "egovplan.task",
    "UnitError": "egovplan.units",
    "FORMAT_HISTORY": "egovplan.versions",
    "FormatHistory": "egovplan.versions",
    "FormatVersion": "egovplan.versions",
    "UnknownFormatVersionError": "egovplan.versions",
    "convert": "egovplan.units",
    "quantity": "egovplan.units",
    "Issue": "egovplan.rulebook",
    "Report": "egovplan.validation",
    "Rule": "egovplan.rulebook",
    "RuleRegistry": "egovplan.rulebook",
    "Ruleset": "egovplan.rulebook",
    "Severity": "egovplan.rulebook",
    "validate": "egovplan.validation",
    "When": "egovplan.when",
    "validate_together": "egovplan.validation",
    "amount_to_words": "egovplan.words",
    "words_to_amount": "egovplan.words",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'egovplan' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
