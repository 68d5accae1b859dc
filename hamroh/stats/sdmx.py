"""SDMX exchange: our own data structure (DSD), codelists and dataflow, and the data
for a period as SDMX-CSV 2.0 and SDMX-ML 2.1 (generic data).

Structures are written with pysdmx and read back with its validation. The data files are
written here (pysdmx's data writers need pandas, which Hamroh does not ship) and the
SDMX-ML data message is checked against the official SDMX 2.1 XML schema (pysdmx's
``validate_doc``) before it leaves. Codes are checked against our codelists first:
pysdmx does not check codes when writing.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import quoteattr

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from pysdmx.io import write_sdmx
from pysdmx.io.format import Format
from pysdmx.model import (
    Code,
    Codelist,
    Component,
    Components,
    Concept,
    ConceptScheme,
    Dataflow,
    DataStructureDefinition,
    DataType,
    Role,
)

from hamroh.core.models import Country, Subdivision
from hamroh.stats.cells import ensure_fresh
from hamroh.stats.models import OTHER, TOTAL
from hamroh.stats.periods import Period
from hamroh.stats.tables import cells_answer, cells_for, records_for

AGENCY = "TJ_MLME"
VERSION = "1.0"
DSD_ID = "DSD_LABOUR_MIGRATION"
DATAFLOW_ID = "DF_LABOUR_MIGRATION"
CONCEPTS_ID = "CS_LABOUR_MIGRATION"
UNKNOWN = "_U"
DIMENSIONS = ("MEASURE", "SEX", "AREA", "ORIGIN", "TIME_PERIOD")
STRUCTURE_REF = f"{AGENCY}:{DATAFLOW_ID}({VERSION})"
MEASURE_CODES = {
    "DEP": "departures",
    "RET": "returns",
    "STK": "stock",
}


class ExportRefused(ValueError):
    """A code is outside our codelists: the file would not be valid SDMX."""


@dataclass(frozen=True)
class Observation:
    measure: str
    sex: str
    area: str
    origin: str
    time_period: str
    value: int

    def key(self) -> tuple[str, ...]:
        return (self.measure, self.sex, self.area, self.origin, self.time_period)


# --- Structures ---------------------------------------------------------------------------


def _concept(concept_id: str, name: str) -> Concept:
    return Concept(
        id=concept_id,
        name=name,
        urn=(
            "urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept="
            f"{AGENCY}:{CONCEPTS_ID}({VERSION}).{concept_id}"
        ),
    )


def codelists() -> dict[str, Codelist]:
    """Our codelists; names in English, as SDMX registries expect a default language."""
    countries = [Code(id=c.alpha3, name=c.name_en) for c in Country.objects.exclude(alpha3="TJK")]
    regions = [
        Code(id=s.code, name=s.name_en)
        for s in Subdivision.objects.filter(kind=Subdivision.Kind.REGION)
    ]
    return {
        "MEASURE": Codelist(
            id="CL_LM_MEASURE",
            agency=AGENCY,
            version=VERSION,
            name="Labour migration measure",
            items=[
                Code(id="DEP", name="Departures for work abroad"),
                Code(id="RET", name="Returns of migrant workers"),
                Code(id="STK", name="Migrant workers abroad at the end of the period"),
            ],
        ),
        "SEX": Codelist(
            id="CL_SEX",
            agency=AGENCY,
            version=VERSION,
            name="Sex",
            items=[
                Code(id="M", name="Male"),
                Code(id="F", name="Female"),
                Code(id=TOTAL, name="Total"),
            ],
        ),
        "AREA": Codelist(
            id="CL_AREA",
            agency=AGENCY,
            version=VERSION,
            name="Destination country (ISO 3166-1 alpha-3)",
            items=[*countries, Code(id=OTHER, name="Other"), Code(id=TOTAL, name="Total")],
        ),
        "ORIGIN": Codelist(
            id="CL_TJ_REGION",
            agency=AGENCY,
            version=VERSION,
            name="Region of origin (ISO 3166-2:TJ)",
            items=[*regions, Code(id=UNKNOWN, name="Not stated"), Code(id=TOTAL, name="Total")],
        ),
    }


def structures() -> list[object]:
    lists = codelists()
    concepts = {
        "MEASURE": _concept("MEASURE", "Measure"),
        "SEX": _concept("SEX", "Sex"),
        "AREA": _concept("AREA", "Destination"),
        "ORIGIN": _concept("ORIGIN", "Region of origin"),
        "TIME_PERIOD": _concept("TIME_PERIOD", "Time period"),
        "OBS_VALUE": _concept("OBS_VALUE", "Number of persons"),
    }
    scheme = ConceptScheme(
        id=CONCEPTS_ID,
        agency=AGENCY,
        version=VERSION,
        name="Labour migration concepts",
        items=list(concepts.values()),
    )
    components = Components(
        [
            *(
                Component(
                    id=dim,
                    required=True,
                    role=Role.DIMENSION,
                    concept=concepts[dim],
                    local_dtype=DataType.STRING,
                    local_codes=lists[dim],
                )
                for dim in ("MEASURE", "SEX", "AREA", "ORIGIN")
            ),
            Component(
                id="TIME_PERIOD",
                required=True,
                role=Role.DIMENSION,
                concept=concepts["TIME_PERIOD"],
                local_dtype=DataType.PERIOD,
            ),
            Component(
                id="OBS_VALUE",
                required=True,
                role=Role.MEASURE,
                concept=concepts["OBS_VALUE"],
                local_dtype=DataType.INTEGER,
            ),
        ]
    )
    dsd = DataStructureDefinition(
        id=DSD_ID,
        agency=AGENCY,
        version=VERSION,
        name="Labour migration of citizens of Tajikistan",
        components=components,
    )
    flow = Dataflow(
        id=DATAFLOW_ID,
        agency=AGENCY,
        version=VERSION,
        name="Departures, returns and stock of labour migrants",
        structure=dsd,
    )
    return [*lists.values(), scheme, dsd, flow]


def structure_message() -> str:
    """SDMX-ML 2.1 structure message: codelists, concepts, DSD and dataflow."""
    return str(write_sdmx(structures(), Format.STRUCTURE_SDMX_ML_2_1))


# --- Data ---------------------------------------------------------------------------------


def observations(period: Period) -> list[Observation]:
    """Every measure by sex x destination x origin region for the period, with _T totals.

    One GROUP BY per measure in the database; the totals are sums of those few hundred
    grouped rows.
    """
    result: list[Observation] = []
    for code, measure in MEASURE_CODES.items():
        cells: dict[tuple[str, str, str], int] = defaultdict(int)
        grouped: Any
        if cells_answer(period, ("sex",)):
            ensure_fresh(None)
            grouped = (
                cells_for(measure, period)
                .values("sex", "destination", "origin_region")
                .annotate(n=Sum("count"))
                .order_by()
            )
        else:
            grouped = (
                records_for(measure, period)
                .values("sex", "destination", "origin_region")
                .annotate(n=Count("pk"))
                .order_by()
            )
        for row in grouped:
            origin = row["origin_region"] or UNKNOWN
            for sex in (row["sex"], TOTAL):
                for area in (row["destination"], TOTAL):
                    for region in (origin, TOTAL):
                        cells[(sex, area, region)] += row["n"]
        result.extend(
            Observation(code, sex, area, region, period.label, n)
            for (sex, area, region), n in sorted(cells.items())
        )
    return result


def check_codes(rows: list[Observation]) -> None:
    lists = codelists()
    allowed = {
        dim: {c.id for c in lists[dim].items} for dim in ("MEASURE", "SEX", "AREA", "ORIGIN")
    }
    bad = sorted(
        {
            f"{dim}={value}"
            for row in rows
            for dim, value in (
                ("MEASURE", row.measure),
                ("SEX", row.sex),
                ("AREA", row.area),
                ("ORIGIN", row.origin),
            )
            if value not in allowed[dim]
        }
    )
    if bad:
        raise ExportRefused(
            _("Codes outside the SDMX codelists: %(codes)s") % {"codes": ", ".join(bad[:20])}
        )


def to_sdmx_csv(rows: list[Observation]) -> str:
    """SDMX-CSV 2.0: STRUCTURE, STRUCTURE_ID, ACTION, then dimensions and OBS_VALUE."""
    check_codes(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["STRUCTURE", "STRUCTURE_ID", "ACTION", *DIMENSIONS, "OBS_VALUE"])
    for row in rows:
        writer.writerow(["dataflow", STRUCTURE_REF, "I", *row.key(), row.value])
    return out.getvalue()


MESSAGE_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
GENERIC_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
COMMON_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"


def to_sdmx_ml(rows: list[Observation], prepared: datetime | None = None) -> str:
    """SDMX-ML 2.1 generic data message, validated against the official XML schema."""
    from pysdmx.io.xml.doc_validation import validate_doc

    check_codes(rows)
    prepared = prepared or timezone.now()
    structure_id = f"{AGENCY}_{DATAFLOW_ID}_{VERSION}".replace(".", "_")
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<message:GenericData xmlns:message="{MESSAGE_NS}" xmlns:generic="{GENERIC_NS}" '
        f'xmlns:common="{COMMON_NS}">\n',
        "<message:Header>\n",
        f"<message:ID>HAMROH-{uuid.uuid4().hex[:16].upper()}</message:ID>\n",
        "<message:Test>false</message:Test>\n",
        f"<message:Prepared>{prepared.strftime('%Y-%m-%dT%H:%M:%S')}</message:Prepared>\n",
        f'<message:Sender id="{AGENCY}"/>\n',
        f'<message:Structure structureID="{structure_id}" dimensionAtObservation="AllDimensions">\n',
        f'<common:StructureUsage><Ref agencyID="{AGENCY}" id="{DATAFLOW_ID}" version="{VERSION}"/>'
        "</common:StructureUsage>\n",
        "</message:Structure>\n",
        "</message:Header>\n",
        f'<message:DataSet structureRef="{structure_id}" action="Information">\n',
    ]
    for row in rows:
        keys = "".join(
            f'<generic:Value id="{dim}" value={quoteattr(value)}/>'
            for dim, value in zip(DIMENSIONS, row.key(), strict=True)
        )
        parts.append(
            f"<generic:Obs><generic:ObsKey>{keys}</generic:ObsKey>"
            f'<generic:ObsValue value="{row.value}"/></generic:Obs>\n'
        )
    parts.append("</message:DataSet>\n</message:GenericData>\n")
    document = "".join(parts)
    validate_doc(document)
    return document
