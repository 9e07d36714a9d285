//! SPDX 3 vocabulary: how the many spellings of one term collapse to its local name, which
//! element classes bomvet cares about, and how relationship types map onto [`RelKind`].

use crate::sbom::{DepScope, PartyKind, RelKind};

/// Profile namespaces that prefix class and property names in compact JSON-LD
/// (`software_Package`, `software:Package`, `simplelicensing_licenseExpression`).
fn is_namespace(p: &str) -> bool {
    const NS: [&str; 14] = [
        "spdx",
        "spdx3",
        "core",
        "software",
        "ai",
        "dataset",
        "build",
        "security",
        "simplelicensing",
        "expandedlicensing",
        "licensing",
        "extension",
        "lite",
        "usage",
    ];
    NS.contains(&p) || NS.iter().any(|n| n.eq_ignore_ascii_case(p))
}

/// The local name of a class, property or vocabulary term however it is written:
/// `software_Package`, `software:Package`, `spdx:Software/Package`,
/// `https://spdx.org/rdf/3.0.1/terms/Software/Package` and `Package` all give `Package`.
/// JSON-LD keywords (`@id`, `@type`...) are returned unchanged.
pub(crate) fn local(s: &str) -> &str {
    // One scan (this runs for every key of every element): where the separators are.
    let mut colon = None;
    let mut last_sep = None;
    let mut underscore = None;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b':' if colon.is_none() => colon = Some(i),
            b'/' | b'#' => last_sep = Some(i),
            b'_' if underscore.is_none() => underscore = Some(i),
            b'@' if i == 0 => return s,
            b if b.is_ascii_whitespace() && (i == 0 || i + 1 == s.len()) => {
                return local(s.trim());
            }
            _ => {}
        }
    }
    let mut s = s;
    if let (Some(_), Some(i)) = (colon, last_sep) {
        // An IRI or a prefixed path: the last path segment.
        s = &s[i + 1..];
        colon = s.find(':');
        underscore = s.find('_');
    }
    if let Some(i) = colon {
        if i + 1 < s.len() && is_namespace(&s[..i]) {
            s = &s[i + 1..];
            underscore = s.find('_');
        }
    }
    match underscore {
        Some(i) if i + 1 < s.len() && is_namespace(&s[..i]) => &s[i + 1..],
        _ => s,
    }
}

/// What an element is, for bomvet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// `software_Package`, `ai_AIPackage`, `dataset_DatasetPackage`.
    Package(PackageFlavour),
    /// `software_File`.
    File,
    /// `Relationship`, `LifecycleScopedRelationship`.
    Relationship,
    /// `SpdxDocument` (`true`) or another collection with root elements: `software_Sbom`,
    /// `Bom`, `Bundle`, `ElementCollection` (`false`).
    Collection {
        document: bool,
    },
    Agent(PartyKind),
    Licence(LicenceClass),
    CreationInfo,
    /// A top-level `ExternalIdentifier` element (Microsoft sbom-tool writes them so).
    ExternalIdentifier,
    /// `ExternalMap`: an element defined in another document.
    ExternalMap,
    /// Defined by SPDX 3 but not needed here (annotations, snippets, vulnerabilities...).
    Known,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PackageFlavour {
    Software,
    Ai,
    Dataset,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LicenceClass {
    /// `simplelicensing_LicenseExpression`.
    Expression,
    /// A licence or addition known by name (listed, custom), or any element used as one.
    Named,
    Conjunctive,
    Disjunctive,
    OrLater,
    WithAddition,
    NoAssertion,
    None,
}

/// Classify a type's local name (see [`local`]).
pub(crate) fn classify(local_type: &str) -> Class {
    use LicenceClass as L;
    match local_type {
        "Package" => Class::Package(PackageFlavour::Software),
        "AIPackage" => Class::Package(PackageFlavour::Ai),
        "DatasetPackage" => Class::Package(PackageFlavour::Dataset),
        "File" => Class::File,
        "Relationship" | "LifecycleScopedRelationship" => Class::Relationship,
        "SpdxDocument" => Class::Collection { document: true },
        "Sbom" | "Bom" | "Bundle" | "ElementCollection" => Class::Collection { document: false },
        "Person" => Class::Agent(PartyKind::Person),
        "Organization" | "SpdxOrganization" => Class::Agent(PartyKind::Organization),
        "Tool" | "SoftwareAgent" => Class::Agent(PartyKind::Tool),
        "Agent" => Class::Agent(PartyKind::Unprefixed),
        "LicenseExpression" => Class::Licence(L::Expression),
        "ListedLicense" | "CustomLicense" | "License" | "ExtendableLicense"
        | "ListedLicenseException" | "CustomLicenseAddition" | "LicenseAddition"
        | "AnyLicenseInfo" | "SimpleLicensingText" | "IndividualLicensingInfo"
        // sbom-tool points licence relationships at plain `Element`s named after the licence.
        | "Element" => Class::Licence(L::Named),
        "ConjunctiveLicenseSet" => Class::Licence(L::Conjunctive),
        "DisjunctiveLicenseSet" => Class::Licence(L::Disjunctive),
        "OrLaterOperator" => Class::Licence(L::OrLater),
        "WithAdditionOperator" => Class::Licence(L::WithAddition),
        "NoAssertionLicense" => Class::Licence(L::NoAssertion),
        "NoneLicense" => Class::Licence(L::None),
        "CreationInfo" => Class::CreationInfo,
        "ExternalIdentifier" => Class::ExternalIdentifier,
        "ExternalMap" => Class::ExternalMap,
        "Annotation" | "Snippet" | "Artifact" | "IndividualElement" | "NoAssertionElement"
        | "NoneElement" | "Hash" | "PackageVerificationCode" | "IntegrityMethod"
        | "ExternalRef" | "NamespaceMap" | "DictionaryEntry" | "PositiveIntegerRange"
        | "Build" | "Vulnerability" | "EnergyConsumption" | "EnergyConsumptionDescription"
        | "Extension" | "CdxPropertiesExtension" | "CdxPropertyEntry" | "ContentIdentifier"
        | "SoftwareArtifact" => Class::Known,
        t if t.ends_with("VulnAssessmentRelationship") => Class::Known,
        _ => Class::Unknown,
    }
}

/// Every property local name the SPDX 3.0.1 model defines (from its JSON-LD context), sorted.
/// Properties outside this list on a component are reported as unknown fields.
const PROPERTIES: [&str; 161] = [
    "actionStatement",
    "actionStatementTime",
    "additionText",
    "additionalPurpose",
    "algorithm",
    "annotationType",
    "anonymizationMethodUsed",
    "assessedElement",
    "attributionText",
    "autonomyType",
    "beginIntegerRange",
    "buildEndTime",
    "buildId",
    "buildStartTime",
    "buildType",
    "builtTime",
    "byteRange",
    "catalogType",
    "cdxPropName",
    "cdxPropValue",
    "cdxProperty",
    "comment",
    "completeness",
    "confidentialityLevel",
    "configSourceDigest",
    "configSourceEntrypoint",
    "configSourceUri",
    "contentIdentifier",
    "contentIdentifierType",
    "contentIdentifierValue",
    "contentType",
    "context",
    "copyrightText",
    "created",
    "createdBy",
    "createdUsing",
    "creationInfo",
    "customIdToUri",
    "dataCollectionProcess",
    "dataLicense",
    "dataPreprocessing",
    "datasetAvailability",
    "datasetNoise",
    "datasetSize",
    "datasetType",
    "datasetUpdateMechanism",
    "decisionType",
    "definingArtifact",
    "deprecatedVersion",
    "description",
    "domain",
    "downloadLocation",
    "element",
    "endIntegerRange",
    "endTime",
    "energyConsumption",
    "energyQuantity",
    "energyUnit",
    "environment",
    "exploited",
    "extension",
    "externalIdentifier",
    "externalIdentifierType",
    "externalRef",
    "externalRefType",
    "externalSpdxId",
    "fileKind",
    "finetuningEnergyConsumption",
    "from",
    "hasSensitivePersonalInformation",
    "hashValue",
    "homePage",
    "hyperparameter",
    "identifier",
    "identifierLocator",
    "impactStatement",
    "impactStatementTime",
    "import",
    "inferenceEnergyConsumption",
    "informationAboutApplication",
    "informationAboutTraining",
    "intendedUse",
    "isDeprecatedAdditionId",
    "isDeprecatedLicenseId",
    "isFsfLibre",
    "isOsiApproved",
    "issuingAuthority",
    "justificationType",
    "key",
    "knownBias",
    "licenseExpression",
    "licenseListVersion",
    "licenseText",
    "licenseXml",
    "limitation",
    "lineRange",
    "listVersionAdded",
    "locationHint",
    "locator",
    "member",
    "metric",
    "metricDecisionThreshold",
    "modelDataPreprocessing",
    "modelExplainability",
    "modifiedTime",
    "name",
    "namespace",
    "namespaceMap",
    "obsoletedBy",
    "originatedBy",
    "packageUrl",
    "packageVerificationCodeExcludedFile",
    "packageVersion",
    "parameter",
    "percentile",
    "prefix",
    "primaryPurpose",
    "probability",
    "profileConformance",
    "publishedTime",
    "relationshipType",
    "releaseTime",
    "rootElement",
    "safetyRiskAssessment",
    "sbomType",
    "scope",
    "score",
    "seeAlso",
    "sensor",
    "severity",
    "snippetFromFile",
    "sourceInfo",
    "spdx",
    "spdxId",
    "specVersion",
    "standardAdditionTemplate",
    "standardCompliance",
    "standardLicenseHeader",
    "standardLicenseTemplate",
    "standardName",
    "startTime",
    "statement",
    "statusNotes",
    "subject",
    "subjectAddition",
    "subjectExtendableLicense",
    "subjectLicense",
    "summary",
    "suppliedBy",
    "supportLevel",
    "to",
    "trainingEnergyConsumption",
    "type",
    "typeOfModel",
    "useSensitivePersonalInformation",
    "validUntilTime",
    "value",
    "vectorString",
    "verifiedUsing",
    "vexVersion",
    "withdrawnTime",
];

/// True for a property local name defined by the SPDX 3 model, or a JSON-LD keyword.
pub(crate) fn is_known_property(local_name: &str) -> bool {
    local_name.starts_with('@') || PROPERTIES.binary_search(&local_name).is_ok()
}

/// The SPDX 3 named individuals that stand for "no assertion" / "none" when used as a
/// reference: `NoAssertionElement`, `NoneElement`, `expandedlicensing_NoAssertionLicense`,
/// `expandedlicensing_NoneLicense`, in any of their spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Special {
    NoAssertion,
    None,
}

impl Special {
    /// The spelling the builder recognises (`noassertion-target` warnings).
    pub(crate) fn as_ref_str(self) -> &'static str {
        match self {
            Special::NoAssertion => "NOASSERTION",
            Special::None => "NONE",
        }
    }
}

pub(crate) fn special(r: &str) -> Option<Special> {
    let r = r.trim();
    // Only the vocabulary's own spellings: a bare term, a namespace prefix, or an SPDX IRI;
    // `https://example.com/NoneElement` is an ordinary element id.
    let vocabulary = !r.contains(':') && !r.contains('/')
        || r.starts_with("spdx:")
        || r.contains("spdx.org/rdf/3")
        || r.split_once('_').is_some_and(|(p, _)| is_namespace(p));
    if !vocabulary {
        return None;
    }
    match local(r) {
        "NoAssertionElement" | "NoAssertionLicense" => Some(Special::NoAssertion),
        "NoneElement" | "NoneLicense" => Some(Special::None),
        _ => None,
    }
}

/// True for `NOASSERTION` / `NONE` written as a plain value (download location, copyright).
pub(crate) fn is_no_value(s: &str) -> bool {
    let s = s.trim();
    s.is_empty() || s.eq_ignore_ascii_case("NOASSERTION") || s.eq_ignore_ascii_case("NONE")
}

/// What a relationship type means to bomvet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RelMeaning {
    /// `hasConcludedLicense` / `hasDeclaredLicense`: the targets are licences of the source.
    Licence,
    /// `describes`: from a document / SBOM it declares roots.
    Describes,
    /// A component edge. `flip`: the document wrote it target → source (`ancestorOf`,
    /// `generates`, SPDX 2 style `*_OF` / `*_BY`). `scoped`: a lifecycle `scope` refines a
    /// depends-on edge.
    Edge {
        kind: RelKind,
        flip: bool,
        scoped: bool,
    },
}

/// Map a relationship type as written (`dependsOn`, `DEPENDS_ON`, a full IRI...) to its meaning.
///
/// Decisions beyond the obvious ones:
/// - `hasOptionalDependency` → depends-on:optional, `hasProvidedDependency` →
///   depends-on:provided, `hasPrerequisite` → depends-on (a prerequisite has to be present, which
///   is what a dependency is; a lifecycle scope on it is kept).
/// - `hasVariant` / `variantOf` → variant, `descendantOf` → ancestor (the target is the
///   ancestor), `ancestorOf` → ancestor flipped, `generates` → generated-from flipped.
/// - SPDX 2 names, which Microsoft sbom-tool writes into SPDX 3 (`DEPENDS_ON`, `CONTAINED_BY`,
///   `DEV_DEPENDENCY_OF`...), get their SPDX 2 meaning.
/// - Anything else is `Other(name as written)`, flipped when the name ends in `Of` / `By`
///   (`amendedBy`, `packagedBy`, `PATCH_FOR` is not flipped).
pub(crate) fn relationship(written: &str) -> RelMeaning {
    let name = local(written);
    let key: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let edge = |kind: RelKind, flip: bool| RelMeaning::Edge {
        kind,
        flip,
        scoped: false,
    };
    let dep = |scope: DepScope, flip: bool| RelMeaning::Edge {
        kind: RelKind::DependsOn(scope),
        flip,
        scoped: false,
    };
    match key.as_str() {
        "hasconcludedlicense" | "hasdeclaredlicense" => RelMeaning::Licence,
        "describes" => RelMeaning::Describes,
        "dependson" | "hasprerequisite" => RelMeaning::Edge {
            kind: RelKind::DependsOn(DepScope::Unspecified),
            flip: false,
            scoped: true,
        },
        "hasoptionaldependency" => dep(DepScope::Optional, false),
        "hasprovideddependency" => dep(DepScope::Provided, false),
        "contains" => edge(RelKind::Contains, false),
        "hasstaticlink" | "staticlink" => edge(RelKind::StaticLink, false),
        "hasdynamiclink" | "dynamiclink" => edge(RelKind::DynamicLink, false),
        "ancestorof" => edge(RelKind::Ancestor, true),
        "descendantof" => edge(RelKind::Ancestor, false),
        "variantof" | "hasvariant" => edge(RelKind::Variant, false),
        "generates" => edge(RelKind::GeneratedFrom, true),
        "generatedfrom" => edge(RelKind::GeneratedFrom, false),
        // SPDX 2 spellings.
        "dependencyof" | "prerequisitefor" => dep(DepScope::Unspecified, true),
        "devdependencyof" => dep(DepScope::Dev, true),
        "builddependencyof" => dep(DepScope::Build, true),
        "testdependencyof" => dep(DepScope::Test, true),
        "runtimedependencyof" => dep(DepScope::Runtime, true),
        "optionaldependencyof" => dep(DepScope::Optional, true),
        "provideddependencyof" => dep(DepScope::Provided, true),
        "containedby" => edge(RelKind::Contains, true),
        _ => {
            let flip = name.ends_with("Of")
                || name.ends_with("By")
                || name.ends_with("_OF")
                || name.ends_with("_BY");
            edge(RelKind::Other(name.to_string()), flip)
        }
    }
}

/// A `LifecycleScopedRelationship` scope as a depends-on flavour.
pub(crate) fn dep_scope(scope: &str) -> DepScope {
    match local(scope) {
        s if s.eq_ignore_ascii_case("build") => DepScope::Build,
        s if s.eq_ignore_ascii_case("development") => DepScope::Dev,
        s if s.eq_ignore_ascii_case("runtime") => DepScope::Runtime,
        s if s.eq_ignore_ascii_case("test") => DepScope::Test,
        _ => DepScope::Unspecified,
    }
}

/// A software purpose as a component kind: `operatingSystem` → `operating-system`,
/// `LIBRARY` → `library`, so that it lines up with CycloneDX types and SPDX 2 purposes.
pub(crate) fn purpose_kind(purpose: &str) -> String {
    let p = local(purpose);
    let mixed = p.chars().any(|c| c.is_ascii_lowercase());
    let mut out = String::with_capacity(p.len() + 4);
    for (i, c) in p.chars().enumerate() {
        if c == '_' || c == ' ' {
            out.push('-');
        } else if c.is_ascii_uppercase() {
            if mixed && i > 0 && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The last segment of an IRI (`https://spdx.org/licenses/MIT` → `MIT`), for licences known
/// only by their id.
pub(crate) fn id_tail(id: &str) -> &str {
    let id = id.trim().trim_end_matches(['/', '#']);
    match id.rfind(['/', '#']) {
        Some(i) => &id[i + 1..],
        None => id,
    }
}

/// True for an SPDX License List IRI (`https://spdx.org/licenses/MIT`).
pub(crate) fn is_listed_licence_iri(id: &str) -> bool {
    let id = id.trim();
    id.starts_with("https://spdx.org/licenses/") || id.starts_with("http://spdx.org/licenses/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_collapse_every_spelling() {
        for s in [
            "software_Package",
            "software:Package",
            "Package",
            "spdx:Software/Package",
            "https://spdx.org/rdf/3.0.1/terms/Software/Package",
        ] {
            assert_eq!(local(s), "Package", "{s}");
        }
        assert_eq!(
            local("simplelicensing_licenseExpression"),
            "licenseExpression"
        );
        assert_eq!(local("@id"), "@id");
        assert_eq!(local("HAS_CONCLUDED_LICENSE"), "HAS_CONCLUDED_LICENSE");
        assert_eq!(local("x_y"), "x_y");
        assert_eq!(local(" software_Package "), "Package");
        assert_eq!(local("two words"), "two words");
        assert_eq!(local("   "), "");
        assert_eq!(local("software_"), "software_");
        assert_eq!(local("urn:x:y"), "urn:x:y");
    }

    #[test]
    fn property_table_is_sorted_for_binary_search() {
        assert!(PROPERTIES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_known_property("packageVersion"));
        assert!(is_known_property("@context"));
        assert!(!is_known_property("bogus"));
    }

    #[test]
    fn special_individuals_only_in_vocabulary_spellings() {
        assert_eq!(special("NoAssertionElement"), Some(Special::NoAssertion));
        assert_eq!(
            special("https://spdx.org/rdf/3.0.1/terms/Core/NoneElement"),
            Some(Special::None)
        );
        assert_eq!(
            special("expandedlicensing_NoAssertionLicense"),
            Some(Special::NoAssertion)
        );
        assert_eq!(special("https://example.com/x/NoneElement"), None);
        assert_eq!(special("SPDXRef-Package"), None);
    }

    #[test]
    fn relationship_names_in_every_case_style() {
        assert_eq!(relationship("DEPENDS_ON"), relationship("dependsOn"));
        assert_eq!(relationship("HAS_DECLARED_LICENSE"), RelMeaning::Licence);
        assert_eq!(
            relationship("https://spdx.org/rdf/3.0.1/terms/Core/RelationshipType/contains"),
            RelMeaning::Edge {
                kind: RelKind::Contains,
                flip: false,
                scoped: false
            }
        );
        assert_eq!(
            relationship("amendedBy"),
            RelMeaning::Edge {
                kind: RelKind::Other("amendedBy".into()),
                flip: true,
                scoped: false
            }
        );
        assert_eq!(
            relationship("copiedTo"),
            RelMeaning::Edge {
                kind: RelKind::Other("copiedTo".into()),
                flip: false,
                scoped: false
            }
        );
    }

    #[test]
    fn purposes_become_kebab_kinds() {
        assert_eq!(purpose_kind("operatingSystem"), "operating-system");
        assert_eq!(purpose_kind("library"), "library");
        assert_eq!(purpose_kind("OPERATING_SYSTEM"), "operating-system");
        assert_eq!(
            purpose_kind("https://spdx.org/rdf/3.0.1/terms/Software/SoftwarePurpose/deviceDriver"),
            "device-driver"
        );
    }

    #[test]
    fn id_tail_takes_last_segment() {
        assert_eq!(id_tail("https://spdx.org/licenses/MIT"), "MIT");
        assert_eq!(id_tail("http://x#LicenseRef-a"), "LicenseRef-a");
        assert_eq!(id_tail("MIT"), "MIT");
    }
}
