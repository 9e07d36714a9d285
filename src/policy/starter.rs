//! The starter policy that `bomvet init` writes: every key, commented, with the defaults
//! active. Kept as a TOML file beside this module so it reads as what users get; a test loads
//! it through the real parser and checks it against the registry.

/// The text of the starter `bomvet.toml`.
pub const STARTER_POLICY: &str = include_str!("starter.toml");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    #[test]
    fn the_starter_policy_loads_without_problems() {
        let p = Policy::parse(STARTER_POLICY, "bomvet.toml").unwrap_or_else(|e| {
            panic!("{e}: {:#?}", e.lines());
        });
        assert!(p.waivers.is_empty());
    }

    #[test]
    fn the_commented_out_examples_load_too() {
        // Uncommenting every example line gives a valid policy as well.
        let uncommented: String = STARTER_POLICY
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") || rest.starts_with('[') => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let p = Policy::parse(&uncommented, "bomvet.toml").unwrap_or_else(|e| {
            panic!("{e}: {:#?}\n{uncommented}", e.lines());
        });
        assert_eq!(p.waivers.len(), 1);
        assert!(p.unresolved.is_some());
        assert!(p.enforce.is_some());
    }
}
