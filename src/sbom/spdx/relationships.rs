//! The one mapping from SPDX 2 relationship types to model edges, shared by all five
//! serialisations.
//!
//! Edges always read "from depends on / contains / links / derives from to", so `*_OF` / `*_BY`
//! types are flipped. Decisions beyond the obvious ones:
//!
//! - `BUILD_TOOL_OF` / `DEV_TOOL_OF` / `TEST_TOOL_OF` (A is a tool used to build / develop / test
//!   B) become B depends-on A with scope build / dev / test: the tool is needed by B's
//!   build, not shipped in B, which is what those scopes mean elsewhere in the model.
//! - `OPTIONAL_COMPONENT_OF` (A is an optional part of B) and `PACKAGE_OF` (A is a package that
//!   is part of B) become B contains A: both say A ships inside B; for an audit, treating an
//!   optional part as embedded errs on the side of reporting it.
//! - `DESCRIBES` / `DESCRIBED_BY` are not edges when the document is one end: they declare roots
//!   ([`Mapped::Describes`]); the ingest code decides. The misspelling `DESCRIBE` (seen in a
//!   trivy document) is read as `DESCRIBES` and flagged.
//! - Everything else is kept as [`RelKind::Other`] with the normalised name, flipped when it
//!   ends in `_OF` or `_BY`. Types that SPDX 2.3 does not define are flagged as unknown.

use std::borrow::Cow;

use crate::sbom::model::{DepScope, RelKind};

/// What a relationship type means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// `DESCRIBES` (flip = false) or `DESCRIBED_BY` (flip = true).
    Describes { flip: bool },
    /// An edge of `kind`; when `flip`, the edge runs from the related element to the element.
    Edge { kind: RelKind, flip: bool },
}

/// How sure the mapping is about the type name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// A type SPDX 2.3 defines.
    Yes,
    /// A known misspelling, read as the type it was meant to be.
    Misspelt,
    /// Not an SPDX 2 relationship type.
    No,
}

/// The SPDX 2.3 relationship types (clause 11.1), upper snake case.
const SPDX_TYPES: &[&str] = &[
    "AMENDS",
    "ANCESTOR_OF",
    "BUILD_DEPENDENCY_OF",
    "BUILD_TOOL_OF",
    "CONTAINED_BY",
    "CONTAINS",
    "COPY_OF",
    "DATA_FILE_OF",
    "DEPENDENCY_MANIFEST_OF",
    "DEPENDENCY_OF",
    "DEPENDS_ON",
    "DESCENDANT_OF",
    "DESCRIBED_BY",
    "DESCRIBES",
    "DEV_DEPENDENCY_OF",
    "DEV_TOOL_OF",
    "DISTRIBUTION_ARTIFACT",
    "DOCUMENTATION_OF",
    "DYNAMIC_LINK",
    "EXAMPLE_OF",
    "EXPANDED_FROM_ARCHIVE",
    "FILE_ADDED",
    "FILE_DELETED",
    "FILE_MODIFIED",
    "GENERATED_FROM",
    "GENERATES",
    "HAS_PREREQUISITE",
    "METAFILE_OF",
    "OPTIONAL_COMPONENT_OF",
    "OPTIONAL_DEPENDENCY_OF",
    "OTHER",
    "PACKAGE_OF",
    "PATCH_APPLIED",
    "PATCH_FOR",
    "PREREQUISITE_FOR",
    "PROVIDED_DEPENDENCY_OF",
    "REQUIREMENT_DESCRIPTION_FOR",
    "RUNTIME_DEPENDENCY_OF",
    "SPECIFICATION_FOR",
    "STATIC_LINK",
    "TEST_CASE_OF",
    "TEST_DEPENDENCY_OF",
    "TEST_OF",
    "TEST_TOOL_OF",
    "VARIANT_OF",
];

/// Upper snake case: trimmed, ASCII upper case, `-` and spaces as `_`. Borrowed when the input
/// already is.
pub fn normalise(t: &str) -> Cow<'_, str> {
    let t = t.trim();
    if t.bytes()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
    {
        return Cow::Borrowed(t);
    }
    Cow::Owned(
        t.chars()
            .map(|c| match c {
                '-' | ' ' => '_',
                c => c.to_ascii_uppercase(),
            })
            .collect(),
    )
}

/// The RDF spelling (`relationshipType_dependencyOf`, or just `dependencyOf`) in upper snake
/// case (`DEPENDENCY_OF`).
pub fn from_rdf_name(name: &str) -> String {
    let name = name.strip_prefix("relationshipType_").unwrap_or(name);
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !out.ends_with('_') {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// Map a relationship type (any case; see [`normalise`]) to its meaning. Returns the normalised
/// name too, for messages and for [`RelKind::Other`].
pub fn map(t: &str) -> (Mapped, Known, Cow<'_, str>) {
    let name = normalise(t);
    let edge = |kind: RelKind, flip: bool| Mapped::Edge { kind, flip };
    let dep = |scope: DepScope| edge(RelKind::DependsOn(scope), true);
    let mapped = match &*name {
        "DESCRIBES" => Mapped::Describes { flip: false },
        "DESCRIBED_BY" => Mapped::Describes { flip: true },
        "DESCRIBE" => {
            return (Mapped::Describes { flip: false }, Known::Misspelt, name);
        }
        "DEPENDS_ON" => edge(RelKind::DependsOn(DepScope::Unspecified), false),
        "DEPENDENCY_OF" => dep(DepScope::Unspecified),
        "DEV_DEPENDENCY_OF" => dep(DepScope::Dev),
        "OPTIONAL_DEPENDENCY_OF" => dep(DepScope::Optional),
        "BUILD_DEPENDENCY_OF" => dep(DepScope::Build),
        "RUNTIME_DEPENDENCY_OF" => dep(DepScope::Runtime),
        "TEST_DEPENDENCY_OF" => dep(DepScope::Test),
        "PROVIDED_DEPENDENCY_OF" => dep(DepScope::Provided),
        "DEV_TOOL_OF" => dep(DepScope::Dev),
        "BUILD_TOOL_OF" => dep(DepScope::Build),
        "TEST_TOOL_OF" => dep(DepScope::Test),
        "CONTAINS" => edge(RelKind::Contains, false),
        "CONTAINED_BY" => edge(RelKind::Contains, true),
        "OPTIONAL_COMPONENT_OF" | "PACKAGE_OF" => edge(RelKind::Contains, true),
        "STATIC_LINK" => edge(RelKind::StaticLink, false),
        "DYNAMIC_LINK" => edge(RelKind::DynamicLink, false),
        // A is an ancestor of B: B derives from A.
        "ANCESTOR_OF" => edge(RelKind::Ancestor, true),
        // A is a descendant of B: A derives from B.
        "DESCENDANT_OF" => edge(RelKind::Ancestor, false),
        "VARIANT_OF" => edge(RelKind::Variant, false),
        "GENERATED_FROM" => edge(RelKind::GeneratedFrom, false),
        "GENERATES" => edge(RelKind::GeneratedFrom, true),
        other => {
            let flip = other.ends_with("_OF") || other.ends_with("_BY");
            let known = if SPDX_TYPES.binary_search(&other).is_ok() {
                Known::Yes
            } else {
                Known::No
            };
            return (edge(RelKind::Other(other.to_string()), flip), known, name);
        }
    };
    (mapped, Known::Yes, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(kind: RelKind, flip: bool) -> Mapped {
        Mapped::Edge { kind, flip }
    }
    fn other(name: &str, flip: bool) -> Mapped {
        edge(RelKind::Other(name.into()), flip)
    }
    use DepScope::*;
    use RelKind::*;

    macro_rules! rel_tests {
        ($($test:ident: $name:literal => $expected:expr;)*) => {
            $(
                #[test]
                fn $test() {
                    let (mapped, known, _) = map($name);
                    assert_eq!(mapped, $expected, "{}", $name);
                    assert_eq!(known, Known::Yes, "{}", $name);
                }
            )*

            /// Every SPDX 2.3 type has a test above.
            #[test]
            fn every_spdx_type_is_tested() {
                let tested = [$($name),*];
                for t in SPDX_TYPES {
                    assert!(tested.contains(t), "{t} has no test");
                }
                assert_eq!(tested.len(), SPDX_TYPES.len());
            }
        };
    }

    rel_tests! {
        amends_is_other_unflipped: "AMENDS" => other("AMENDS", false);
        ancestor_of_flips_to_ancestor: "ANCESTOR_OF" => edge(Ancestor, true);
        build_dependency_of_flips_with_build_scope: "BUILD_DEPENDENCY_OF" => edge(DependsOn(Build), true);
        build_tool_of_flips_to_build_dependency: "BUILD_TOOL_OF" => edge(DependsOn(Build), true);
        contained_by_flips_to_contains: "CONTAINED_BY" => edge(Contains, true);
        contains_is_contains: "CONTAINS" => edge(Contains, false);
        copy_of_is_other_flipped: "COPY_OF" => other("COPY_OF", true);
        data_file_of_is_other_flipped: "DATA_FILE_OF" => other("DATA_FILE_OF", true);
        dependency_manifest_of_is_other_flipped: "DEPENDENCY_MANIFEST_OF" => other("DEPENDENCY_MANIFEST_OF", true);
        dependency_of_flips_to_depends_on: "DEPENDENCY_OF" => edge(DependsOn(Unspecified), true);
        depends_on_is_depends_on: "DEPENDS_ON" => edge(DependsOn(Unspecified), false);
        descendant_of_is_ancestor_unflipped: "DESCENDANT_OF" => edge(Ancestor, false);
        described_by_is_flipped_describes: "DESCRIBED_BY" => Mapped::Describes { flip: true };
        describes_is_describes: "DESCRIBES" => Mapped::Describes { flip: false };
        dev_dependency_of_flips_with_dev_scope: "DEV_DEPENDENCY_OF" => edge(DependsOn(Dev), true);
        dev_tool_of_flips_to_dev_dependency: "DEV_TOOL_OF" => edge(DependsOn(Dev), true);
        distribution_artifact_is_other_unflipped: "DISTRIBUTION_ARTIFACT" => other("DISTRIBUTION_ARTIFACT", false);
        documentation_of_is_other_flipped: "DOCUMENTATION_OF" => other("DOCUMENTATION_OF", true);
        dynamic_link_is_dynamic_link: "DYNAMIC_LINK" => edge(DynamicLink, false);
        example_of_is_other_flipped: "EXAMPLE_OF" => other("EXAMPLE_OF", true);
        expanded_from_archive_is_other_unflipped: "EXPANDED_FROM_ARCHIVE" => other("EXPANDED_FROM_ARCHIVE", false);
        file_added_is_other_unflipped: "FILE_ADDED" => other("FILE_ADDED", false);
        file_deleted_is_other_unflipped: "FILE_DELETED" => other("FILE_DELETED", false);
        file_modified_is_other_unflipped: "FILE_MODIFIED" => other("FILE_MODIFIED", false);
        generated_from_is_generated_from: "GENERATED_FROM" => edge(GeneratedFrom, false);
        generates_flips_to_generated_from: "GENERATES" => edge(GeneratedFrom, true);
        has_prerequisite_is_other_unflipped: "HAS_PREREQUISITE" => other("HAS_PREREQUISITE", false);
        metafile_of_is_other_flipped: "METAFILE_OF" => other("METAFILE_OF", true);
        optional_component_of_flips_to_contains: "OPTIONAL_COMPONENT_OF" => edge(Contains, true);
        optional_dependency_of_flips_with_optional_scope: "OPTIONAL_DEPENDENCY_OF" => edge(DependsOn(Optional), true);
        other_is_other_unflipped: "OTHER" => other("OTHER", false);
        package_of_flips_to_contains: "PACKAGE_OF" => edge(Contains, true);
        patch_applied_is_other_unflipped: "PATCH_APPLIED" => other("PATCH_APPLIED", false);
        patch_for_is_other_unflipped: "PATCH_FOR" => other("PATCH_FOR", false);
        prerequisite_for_is_other_unflipped: "PREREQUISITE_FOR" => other("PREREQUISITE_FOR", false);
        provided_dependency_of_flips_with_provided_scope: "PROVIDED_DEPENDENCY_OF" => edge(DependsOn(Provided), true);
        requirement_description_for_is_other_unflipped: "REQUIREMENT_DESCRIPTION_FOR" => other("REQUIREMENT_DESCRIPTION_FOR", false);
        runtime_dependency_of_flips_with_runtime_scope: "RUNTIME_DEPENDENCY_OF" => edge(DependsOn(Runtime), true);
        specification_for_is_other_unflipped: "SPECIFICATION_FOR" => other("SPECIFICATION_FOR", false);
        static_link_is_static_link: "STATIC_LINK" => edge(StaticLink, false);
        test_case_of_is_other_flipped: "TEST_CASE_OF" => other("TEST_CASE_OF", true);
        test_dependency_of_flips_with_test_scope: "TEST_DEPENDENCY_OF" => edge(DependsOn(Test), true);
        test_of_is_other_flipped: "TEST_OF" => other("TEST_OF", true);
        test_tool_of_flips_to_test_dependency: "TEST_TOOL_OF" => edge(DependsOn(Test), true);
        variant_of_is_variant_unflipped: "VARIANT_OF" => edge(Variant, false);
    }

    #[test]
    fn spdx_type_list_is_sorted_for_binary_search() {
        assert!(SPDX_TYPES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn lower_case_and_dashes_are_normalised() {
        assert_eq!(map("depends-on").0, edge(DependsOn(Unspecified), false));
        assert_eq!(map(" contained_by ").0, edge(Contains, true));
        assert_eq!(normalise("DEPENDS_ON"), Cow::Borrowed("DEPENDS_ON"));
    }

    #[test]
    fn unknown_type_is_other_flipped_by_suffix_and_flagged() {
        let (m, k, _) = map("FRIEND_OF");
        assert_eq!(m, other("FRIEND_OF", true));
        assert_eq!(k, Known::No);
        let (m, k, _) = map("LOVES");
        assert_eq!(m, other("LOVES", false));
        assert_eq!(k, Known::No);
        let (m, _, _) = map("WATCHED_BY");
        assert_eq!(m, other("WATCHED_BY", true));
    }

    #[test]
    fn describe_typo_is_read_as_describes_and_flagged() {
        let (m, k, _) = map("DESCRIBE");
        assert_eq!(m, Mapped::Describes { flip: false });
        assert_eq!(k, Known::Misspelt);
    }

    #[test]
    fn rdf_names_become_upper_snake_case() {
        assert_eq!(
            from_rdf_name("relationshipType_dependencyOf"),
            "DEPENDENCY_OF"
        );
        assert_eq!(
            from_rdf_name("relationshipType_describedBy"),
            "DESCRIBED_BY"
        );
        assert_eq!(
            from_rdf_name("expandedFromArchive"),
            "EXPANDED_FROM_ARCHIVE"
        );
        assert_eq!(from_rdf_name("relationshipType_other"), "OTHER");
        assert_eq!(from_rdf_name("relationshipType_contains"), "CONTAINS");
    }
}
