"""Closed namespaces for every term the project writes, so a typo in a term fails at once.

``PKG`` is the project's own ontology (``ontology/policykg.ttl``); ELI, SSSOM and SEMAPV are
reused vocabularies that rdflib does not ship. ORG, PROV, SKOS and DCTERMS come from rdflib.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from loaders.records import Role

ONTOLOGY_IRI = URIRef("https://w3id.org/policykg/ontology")
ONTOLOGY_VERSION = "0.1.0"


class PKG(DefinedNamespace):
    """The policykg ontology."""

    _fail = True
    _NS = Namespace("https://w3id.org/policykg/ontology#")

    # classes
    PolicyDocument: URIRef
    Part: URIRef
    Group: URIRef
    Item: URIRef
    Measure: URIRef
    Task: URIRef
    Clause: URIRef
    ClauseAlignment: URIRef
    Coverage: URIRef
    Agency: URIRef
    AgencyKind: URIRef
    Responsibility: URIRef
    Technology: URIRef
    Programme: URIRef
    Place: URIRef
    AdministrativeArea: URIRef
    Zone: URIRef
    Region: URIRef
    RiverBasin: URIRef
    Alignment: URIRef
    SourceFile: URIRef
    LoadActivity: URIRef
    Repair: URIRef
    LoadWarning: URIRef
    Series: URIRef
    # object properties
    leads: URIRef
    shares: URIRef
    implements: URIRef
    supports: URIRef
    inheritedFrom: URIRef
    mentions: URIRef
    within: URIRef
    continuedBy: URIRef
    continuedIn: URIRef
    succession: URIRef
    mappingPredicate: URIRef
    sourceDocument: URIRef
    targetDocument: URIRef
    dropped: URIRef
    new: URIRef
    notContinued: URIRef
    reported: URIRef
    inSource: URIRef
    inSeries: URIRef
    # datatype properties
    ordinal: URIRef
    documentId: URIRef
    itemKind: URIRef
    originalText: URIRef
    textSimplified: URIRef
    titleSimplified: URIRef
    preamble: URIRef
    responsibilityClause: URIRef
    note: URIRef
    sha256: URIRef
    fileName: URIRef
    characters: URIRef
    spanStart: URIRef
    spanEnd: URIRef
    sourceLine: URIRef
    softwareVersion: URIRef
    openccProfile: URIRef
    inputDigest: URIRef
    repairKind: URIRef
    offset: URIRef
    before: URIRef
    after: URIRef
    warningCode: URIRef
    message: URIRef
    resolved: URIRef
    formerName: URIRef
    changeDate: URIRef
    seriesPosition: URIRef
    changeKind: URIRef
    citation: URIRef
    generic: URIRef
    openEnded: URIRef
    surfaceForm: URIRef
    programmeKind: URIRef
    divisionCode: URIRef
    placeKind: URIRef
    rank: URIRef
    accepted: URIRef
    evidence: URIRef
    signals: URIRef
    share: URIRef
    # concept schemes and concepts
    roles: URIRef
    lead: URIRef
    shared: URIRef
    implementing: URIRef
    supporting: URIRef
    agencyKinds: URIRef
    successionTypes: URIRef
    continued: URIRef
    split: URIRef
    merged: URIRef
    partial: URIRef

    # policy content of clauses: deliverables, targets, citations, instruments
    Deliverable: URIRef
    Target: URIRef
    InstrumentUse: URIRef
    InstrumentType: URIRef
    InstrumentTool: URIRef
    promises: URIRef
    sets: URIRef
    cites: URIRef
    usesInstrument: URIRef
    tool: URIRef
    documentKind: URIRef
    issuingVerb: URIRef
    targetValue: URIRef
    unit: URIRef
    comparator: URIRef
    measuredObject: URIRef
    targetYear: URIRef
    cue: URIRef
    instrumentType: URIRef
    instrumentTool: URIRef
    external: URIRef
    instruments: URIRef

    _extras = [  # noqa: RUF012 - rdflib reads this class attribute
        "kind-government",
        "kind-government-department",
        "kind-government-office",
        "kind-party-body",
        "kind-legislature",
        "kind-political-consultative",
        "kind-judiciary",
        "kind-procuratorate",
        "kind-central-agency",
        "kind-central-vertical-branch",
        "kind-public-institution",
        "kind-collective",
    ]


class ELI(DefinedNamespace):
    """European Legislation Identifier ontology (the terms the project uses)."""

    _fail = True
    _NS = Namespace("http://data.europa.eu/eli/ontology#")

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    is_part_of: URIRef
    passed_by: URIRef
    type_document: URIRef
    relevant_for: URIRef
    number: URIRef
    id_local: URIRef
    date_document: URIRef
    title: URIRef


class SSSOM(DefinedNamespace):
    """Simple Standard for Sharing Ontological Mappings (the terms the project uses)."""

    _fail = True
    _NS = Namespace("https://w3id.org/sssom/")

    confidence: URIRef
    mapping_justification: URIRef
    mapping_tool: URIRef
    mapping_tool_version: URIRef


class SEMAPV(DefinedNamespace):
    """Semantic Mapping Vocabulary (the terms the project uses)."""

    _fail = True
    _NS = Namespace("https://w3id.org/semapv/vocab/")

    CompositeMatching: URIRef


PREFIXES: dict[str, str] = {
    "pkg": str(PKG._NS),
    "eli": str(ELI._NS),
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "sssom": str(SSSOM._NS),
    "semapv": str(SEMAPV._NS),
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


#: Each role's concept (``prov:hadRole`` of a qualified association) and the direct property
#: from the agency to the item that the qualified form is shortened to.
ROLE_CONCEPT: dict[Role, URIRef] = {
    Role.LEAD: PKG.lead,
    Role.SHARED: PKG.shared,
    Role.IMPLEMENTING: PKG.implementing,
    Role.SUPPORTING: PKG.supporting,
}
ROLE_DIRECT: dict[Role, URIRef] = {
    Role.LEAD: PKG.leads,
    Role.SHARED: PKG.shares,
    Role.IMPLEMENTING: PKG.implements,
    Role.SUPPORTING: PKG.supports,
}
