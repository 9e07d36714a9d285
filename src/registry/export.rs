//! The registry as one JSON document (`bomvet registry export`): identity (version, serial,
//! digest), countries and groups, designations, sources, and vendors with their entities,
//! products and OEM relations nested.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::*;

/// A vendor with everything that belongs to it.
#[derive(Debug, Serialize)]
pub struct VendorView<'a> {
    #[serde(flatten)]
    pub vendor: &'a Vendor,
    pub entities: Vec<&'a Entity>,
    pub products: Vec<&'a Product>,
    pub oems: Vec<&'a Oem>,
}

impl<'a> VendorView<'a> {
    pub fn new(reg: &'a Registry, vendor: &'a Vendor) -> VendorView<'a> {
        VendorView {
            vendor,
            entities: vendor.entities.iter().map(|&e| reg.entity(e)).collect(),
            products: vendor.products.iter().map(|&p| reg.product(p)).collect(),
            oems: vendor.oems.iter().map(|&o| reg.oem(o)).collect(),
        }
    }
}

/// The whole registry.
#[derive(Debug, Serialize)]
pub struct ExportDoc<'a> {
    pub registry: &'a RegistryMeta,
    pub countries: &'a BTreeMap<String, String>,
    pub country_groups: &'a [CountryGroup],
    pub designations: &'a [Designation],
    pub sources: &'a [Source],
    pub vendors: Vec<VendorView<'a>>,
}

impl Registry {
    /// The export view of this registry.
    pub fn export(&self) -> ExportDoc<'_> {
        ExportDoc {
            registry: &self.meta,
            countries: &self.countries,
            country_groups: &self.country_groups,
            designations: &self.designations,
            sources: &self.sources,
            vendors: self
                .vendors
                .iter()
                .map(|v| VendorView::new(self, v))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::registry::load::tests::small_registry;

    #[test]
    fn export_carries_country_status_and_designation_entities() {
        let acme = "status = \"confirmed\"\ncountry_status = \"unconfirmed\"\nsources = [\"s\"]\n\
            [[designation]]\nid = \"d\"\nentities = [\"Acme UK Ltd\"]\nstatus = \"confirmed\"\nsources = [\"s\"]\n\
            [[entity]]\nname = \"Acme UK Ltd\"\nrelation = \"holding\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n";
        let reg = small_registry(&[("acme", acme)]);
        let json = serde_json::to_value(reg.export()).unwrap();
        let v = &json["vendors"][0];
        assert_eq!(v["id"], "acme");
        assert_eq!(v["status"], "confirmed");
        assert_eq!(v["country_status"], "unconfirmed");
        assert_eq!(
            v["designations"][0]["entities"],
            serde_json::json!(["Acme UK Ltd"])
        );
    }
}
