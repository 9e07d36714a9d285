//! Unit tests of the CycloneDX XML reader: one small inline document per mapping, plus hostile
//! input.

use crate::sbom::model::{DepScope, Document, Location, PartyKind, RelKind};
use crate::sbom::{parse_as, Format, IngestError, Limits, ReadOptions};

fn read_with(xml: &str, limits: Limits) -> Result<Document, IngestError> {
    let opts = ReadOptions::new(limits, false);
    parse_as("test.xml", Format::CycloneDxXml, xml, &opts)
}

fn read(xml: &str) -> Result<Document, IngestError> {
    read_with(xml, Limits::default())
}

fn doc(xml: &str) -> Document {
    match read(xml) {
        Ok(d) => d,
        Err(e) => panic!("document did not read: {e}"),
    }
}

/// A 1.x BOM around `body`.
fn bom(version: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/{version}\" \
         serialNumber=\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\" version=\"1\">\n{body}\n</bom>\n"
    )
}

fn by_ref<'d>(d: &'d Document, r: &str) -> &'d crate::sbom::model::Component {
    d.components
        .iter()
        .find(|c| c.bom_ref == r)
        .unwrap_or_else(|| panic!("no component {r:?}"))
}

/// Edges as (from ref, to ref, kind name), in document order.
fn edges(d: &Document) -> Vec<(String, String, String)> {
    d.relationships
        .iter()
        .filter(|r| !r.inferred)
        .map(|r| {
            (
                d.component(r.from).bom_ref.to_string(),
                d.component(r.to).bom_ref.to_string(),
                r.kind.name(),
            )
        })
        .collect()
}

fn codes(d: &Document) -> Vec<&'static str> {
    d.warnings.iter().map(|w| w.code).collect()
}

fn edge(from: &str, to: &str, kind: &str) -> (String, String, String) {
    (from.to_string(), to.to_string(), kind.to_string())
}

#[test]
fn spec_version_comes_from_the_namespace_and_serial_from_the_attribute() {
    for v in ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"] {
        let d = doc(&bom(v, "<components/>"));
        assert_eq!(d.spec_version, v);
        assert_eq!(
            d.serial.as_deref(),
            Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79")
        );
        assert_eq!(d.format, Format::CycloneDxXml);
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }
}

#[test]
fn a_later_minor_version_reads_with_a_warning() {
    let d = doc(&bom(
        "1.8",
        "<components><component type=\"library\"><name>a</name></component></components>",
    ));
    assert_eq!(d.spec_version, "1.8");
    assert_eq!(d.component_count(), 1);
    assert_eq!(codes(&d), vec!["unknown-spec-version"]);
}

#[test]
fn roots_outside_a_cyclonedx_1x_namespace_are_not_sboms() {
    let cases = [
        "<bom version=\"1\"><components/></bom>",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/11\"><components/></bom>",
        "<bom xmlns=\"http://example.com/bom/1.4\"/>",
        "<other xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>",
        "<?xml version=\"1.0\"?><!-- only a comment -->",
    ];
    for xml in cases {
        match read(xml) {
            Err(IngestError::NotSbom { .. }) => {}
            other => panic!("{xml}: expected NotSbom, got {other:?}"),
        }
    }
}

#[test]
fn a_prefixed_cyclonedx_namespace_reads_like_the_default_one() {
    let xml = "<c:bom xmlns:c=\"http://cyclonedx.org/schema/bom/1.4\">\
        <c:components><c:component type=\"library\" bom-ref=\"a\"><c:name>alpha</c:name></c:component></c:components>\
        </c:bom>";
    let d = doc(xml);
    assert_eq!(d.spec_version, "1.4");
    assert_eq!(by_ref(&d, "a").name, "alpha");
}

#[test]
fn attributes_may_use_single_quotes_and_spaces_around_equals() {
    let xml = "<bom xmlns = 'http://cyclonedx.org/schema/bom/1.4' serialNumber='urn:uuid:1'>\n\
        <components><component\n  type = 'library'\tbom-ref= \"x&lt;1&gt;\" ><name>a</name></component></components></bom>";
    let d = doc(xml);
    assert_eq!(d.serial.as_deref(), Some("urn:uuid:1"));
    let c = by_ref(&d, "x<1>");
    assert_eq!(c.kind.as_deref(), Some("library"));
    for bad in [
        "<component type><name>a</name></component>",
        "<component type=\"library><name>a</name></component>",
    ] {
        let xml = bom("1.4", &format!("<components>{bad}</components>"));
        let got = read(&xml);
        assert!(
            matches!(
                got,
                Err(IngestError::Syntax { .. } | IngestError::Truncated { .. })
            ),
            "{bad}: {got:?}"
        );
    }
}

#[test]
fn metadata_component_is_the_declared_root_names_the_document_and_is_not_counted() {
    let d = doc(&bom(
        "1.4",
        r#"<metadata>
             <timestamp>2020-01-01T00:00:00Z</timestamp>
             <component type="application" bom-ref="app"><name>Acme App</name><version>2.0</version></component>
           </metadata>
           <components>
             <component type="library" bom-ref="lib"><name>lib</name></component>
           </components>
           <dependencies><dependency ref="app"><dependency ref="lib"/></dependency></dependencies>"#,
    ));
    let app = by_ref(&d, "app");
    assert!(app.is_metadata);
    assert_eq!(app.kind.as_deref(), Some("application"));
    assert_eq!(d.name.as_deref(), Some("Acme App"));
    assert_eq!(d.roots.len(), 1);
    assert_eq!(d.component(d.roots[0]).bom_ref, "app");
    assert_eq!(d.root_source, crate::sbom::model::RootSource::Declared);
    assert_eq!(d.component_count(), 1);
    assert_eq!(edges(&d), vec![edge("app", "lib", "depends-on")]);
}

#[test]
fn metadata_supplier_and_manufacturer_fill_the_subject_only_when_it_has_none() {
    let d = doc(&bom(
        "1.6",
        r#"<metadata>
             <component type="application" bom-ref="app"><name>App</name></component>
             <manufacturer><name>Maker 1.6</name></manufacturer>
             <manufacture><name>Maker legacy</name></manufacture>
             <supplier><name>Supplier Inc</name><url>https://supplier.example</url></supplier>
           </metadata>"#,
    ));
    let app = by_ref(&d, "app");
    let s = app.supplier.as_ref().expect("supplier");
    assert_eq!(s.name, "Supplier Inc");
    assert_eq!(s.kind, PartyKind::Organization);
    assert_eq!(s.urls, vec!["https://supplier.example".to_string()]);
    assert_eq!(
        app.manufacturer.as_ref().map(|m| m.name.as_str()),
        Some("Maker legacy")
    );

    let d = doc(&bom(
        "1.6",
        r#"<metadata>
             <component type="application" bom-ref="app"><name>App</name></component>
             <manufacturer><name>BOM Maker</name></manufacturer>
           </metadata>"#,
    ));
    assert_eq!(
        by_ref(&d, "app")
            .manufacturer
            .as_ref()
            .map(|m| m.name.as_str()),
        Some("BOM Maker")
    );

    let d = doc(&bom(
        "1.4",
        r#"<metadata>
             <component type="application" bom-ref="app"><supplier><name>Own</name></supplier><name>App</name></component>
             <manufacture><name>Legacy Maker</name></manufacture>
             <supplier><name>Other</name></supplier>
           </metadata>"#,
    ));
    let app = by_ref(&d, "app");
    assert_eq!(app.supplier.as_ref().map(|s| s.name.as_str()), Some("Own"));
    assert_eq!(
        app.manufacturer.as_ref().map(|m| m.name.as_str()),
        Some("Legacy Maker")
    );
}

#[test]
fn every_component_field_is_mapped() {
    let d = doc(&bom(
        "1.6",
        r#"<components>
  <component type="library" bom-ref="ref-1" mime-type="application/java-archive">
    <supplier>
      <name>Acme Corp</name>
      <address><country>RU</country><region>Moscow</region><locality>Moscow</locality>
        <postOfficeBoxNumber>1</postOfficeBoxNumber><postalCode>125212</postalCode>
        <streetAddress>39A/3 Leningradskoe Shosse</streetAddress></address>
      <url>https://acme.example</url>
      <url>https://acme.example/alt</url>
      <contact><name>Ops</name><email>ops@acme.example</email><phone>1</phone></contact>
    </supplier>
    <manufacturer><name>Acme Manufacturing</name></manufacturer>
    <authors><author><name>Jane Doe</name><email>jane@acme.example</email></author></authors>
    <author>Legacy Author</author>
    <publisher>Acme Publishing</publisher>
    <group>com.acme</group>
    <name> widget </name>
    <version>1.2.3</version>
    <description>A widget</description>
    <scope>required</scope>
    <hashes>
      <hash alg="SHA-256">ABCDEF</hash>
      <hash alg="SHA3-512">0123</hash>
    </hashes>
    <licenses>
      <license><id>Apache-2.0</id></license>
      <license><name>Acme Proprietary</name></license>
    </licenses>
    <copyright>Copyright Acme</copyright>
    <cpe>cpe:2.3:a:acme:widget:1.2.3:*:*:*:*:*:*:*</cpe>
    <purl>pkg:maven/com.acme/widget@1.2.3</purl>
    <swid tagId="swidgen-1" name="Widget" version="1.2.3" tagVersion="1"/>
    <externalReferences>
      <reference type="website"><url>https://widget.example</url></reference>
      <reference type="vcs"><url>https://git.example/widget</url><comment>x</comment></reference>
    </externalReferences>
    <properties>
      <property name="syft:cpe23">cpe:2.3:a:acme:widget_extra:1.2.3:*:*:*:*:*:*:*</property>
      <property name="note">hello</property>
      <property name="syft:cpe23">cpe:2.3:a:acme:widget:1.2.3:*:*:*:*:*:*:*</property>
    </properties>
  </component>
</components>"#,
    ));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let c = by_ref(&d, "ref-1");
    assert!(!c.ref_synthesized);
    assert_eq!(c.kind.as_deref(), Some("library"));
    assert_eq!(c.name, "widget");
    assert_eq!(c.version.as_deref(), Some("1.2.3"));
    assert_eq!(c.group.as_deref(), Some("com.acme"));
    assert_eq!(c.purl.as_deref(), Some("pkg:maven/com.acme/widget@1.2.3"));
    assert_eq!(
        c.cpes,
        vec![
            "cpe:2.3:a:acme:widget:1.2.3:*:*:*:*:*:*:*".to_string(),
            "cpe:2.3:a:acme:widget_extra:1.2.3:*:*:*:*:*:*:*".to_string()
        ]
    );
    let swid = c.swid.as_ref().expect("swid");
    assert_eq!(swid.tag_id.as_deref(), Some("swidgen-1"));
    assert_eq!(swid.name.as_deref(), Some("Widget"));
    assert_eq!(swid.version.as_deref(), Some("1.2.3"));
    assert_eq!(c.hashes.len(), 2);
    assert_eq!(c.hashes[0].alg, "SHA256");
    assert_eq!(c.hashes[0].value, "abcdef");
    assert_eq!(c.hashes[1].alg, "SHA3512");

    let s = c.supplier.as_ref().expect("supplier");
    assert_eq!(s.kind, PartyKind::Organization);
    assert_eq!(s.name, "Acme Corp");
    assert_eq!(s.urls.len(), 2);
    assert_eq!(s.emails, vec!["ops@acme.example".to_string()]);
    assert_eq!(s.addresses.len(), 1);
    let a = &s.addresses[0];
    assert_eq!(a.country.as_deref(), Some("RU"));
    assert_eq!(a.region.as_deref(), Some("Moscow"));
    assert_eq!(a.locality.as_deref(), Some("Moscow"));
    assert_eq!(a.postal_code.as_deref(), Some("125212"));
    assert_eq!(a.street.as_deref(), Some("39A/3 Leningradskoe Shosse"));
    assert_eq!(
        c.manufacturer.as_ref().map(|m| m.name.as_str()),
        Some("Acme Manufacturing")
    );
    let authors: Vec<_> = c
        .authors
        .iter()
        .map(|p| {
            (
                p.kind,
                p.name.as_str(),
                p.emails.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(
        authors,
        vec![
            (
                PartyKind::Person,
                "Jane Doe",
                vec!["jane@acme.example".to_string()]
            ),
            (PartyKind::Person, "Legacy Author", vec![]),
        ]
    );
    assert_eq!(c.publisher.as_deref(), Some("Acme Publishing"));
    assert_eq!(
        c.licenses,
        vec!["Apache-2.0".to_string(), "Acme Proprietary".to_string()]
    );
    assert_eq!(c.copyright.as_deref(), Some("Copyright Acme"));
    assert_eq!(c.description.as_deref(), Some("A widget"));
    assert_eq!(c.scope.as_deref(), Some("required"));
    let links: Vec<_> = c
        .links
        .iter()
        .map(|l| (l.kind.as_str(), l.url.as_str()))
        .collect();
    assert_eq!(
        links,
        vec![
            ("website", "https://widget.example"),
            ("vcs", "https://git.example/widget")
        ]
    );
    assert_eq!(c.properties.len(), 3);
    assert_eq!(c.properties[1], ("note".into(), "hello".into()));
    assert_eq!(c.location, Location::line(4));
}

#[test]
fn license_expressions_are_kept_as_written() {
    let d = doc(&bom(
        "1.7",
        r#"<components><component type="library" bom-ref="a"><name>a</name>
             <licenses>
               <expression>EPL-2.0 OR GPL-2.0 WITH Classpath-exception-2.0</expression>
               <expression-detailed expression="LicenseRef-Acme"><details/></expression-detailed>
             </licenses>
           </component></components>"#,
    ));
    assert_eq!(
        by_ref(&d, "a").licenses,
        vec![
            "EPL-2.0 OR GPL-2.0 WITH Classpath-exception-2.0".to_string(),
            "LicenseRef-Acme".to_string()
        ]
    );
}

#[test]
fn evidence_gives_file_names_and_identifiers_only_when_missing() {
    let d = doc(&bom(
        "1.6",
        r#"<components>
  <component type="library" bom-ref="bare"><name>bare</name>
    <evidence>
      <identity><field>purl</field><confidence>1</confidence>
        <concludedValue>pkg:npm/bare@1.0.0</concludedValue>
        <methods>
          <method><technique>filename</technique><confidence>0.1</confidence><value>bare-1.0.0.tgz</value></method>
          <method><technique>hash-comparison</technique><confidence>0.7</confidence><value>abcd</value></method>
        </methods>
      </identity>
      <identity><field>cpe</field><concludedValue>cpe:2.3:a:x:bare:1.0.0:*:*:*:*:*:*:*</concludedValue></identity>
      <occurrences>
        <occurrence bom-ref="o1"><location>/usr/lib/bare.so</location></occurrence>
        <occurrence><location>/opt/bare.so</location></occurrence>
        <occurrence><location>/usr/lib/bare.so</location></occurrence>
      </occurrences>
      <licenses><license><id>MIT</id></license></licenses>
    </evidence>
  </component>
  <component type="library" bom-ref="known"><name>known</name>
    <purl>pkg:npm/known@2.0.0</purl>
    <evidence><identity><field>purl</field><concludedValue>pkg:npm/other@9</concludedValue></identity></evidence>
  </component>
</components>"#,
    ));
    let bare = by_ref(&d, "bare");
    assert_eq!(bare.purl.as_deref(), Some("pkg:npm/bare@1.0.0"));
    assert_eq!(
        bare.cpes,
        vec!["cpe:2.3:a:x:bare:1.0.0:*:*:*:*:*:*:*".to_string()]
    );
    assert_eq!(
        bare.file_names,
        vec![
            "bare-1.0.0.tgz".to_string(),
            "/usr/lib/bare.so".to_string(),
            "/opt/bare.so".to_string()
        ]
    );
    assert!(
        bare.licenses.is_empty(),
        "evidence licences are not declared licences"
    );
    assert_eq!(
        by_ref(&d, "known").purl.as_deref(),
        Some("pkg:npm/known@2.0.0")
    );
}

#[test]
fn nested_components_are_counted_at_every_depth_with_contains_edges_and_lines() {
    let d = doc(&bom(
        "1.4",
        "<components>\n\
           <component type=\"application\" bom-ref=\"outer\"><name>outer</name>\n\
             <components>\n\
               <component type=\"library\" bom-ref=\"mid\"><name>mid</name>\n\
                 <components>\n\
                   <component type=\"library\" bom-ref=\"inner\"><name>inner</name></component>\n\
                 </components>\n\
                 <description>after the nested list</description>\n\
               </component>\n\
             </components>\n\
           </component>\n\
           <component type=\"library\" bom-ref=\"second\"><name>second</name></component>\n\
         </components>",
    ));
    assert_eq!(d.component_count(), 4);
    let refs: Vec<_> = d.components.iter().map(|c| c.bom_ref.as_str()).collect();
    assert_eq!(refs, vec!["outer", "mid", "inner", "second"]);
    assert_eq!(
        edges(&d),
        vec![
            edge("outer", "mid", "contains"),
            edge("mid", "inner", "contains")
        ]
    );
    assert_eq!(
        by_ref(&d, "mid").description.as_deref(),
        Some("after the nested list")
    );
    let lines: Vec<_> = d.components.iter().map(|c| c.location.line).collect();
    assert_eq!(lines, vec![Some(4), Some(6), Some(8), Some(14)]);
}

#[test]
fn components_nested_in_the_metadata_component_are_inventory() {
    let d = doc(&bom(
        "1.5",
        r#"<metadata><component type="device" bom-ref="dev"><name>router</name>
             <components><component type="firmware" bom-ref="fw"><name>fw</name></component></components>
           </component></metadata>"#,
    ));
    assert_eq!(d.component_count(), 1);
    assert!(by_ref(&d, "dev").is_metadata);
    assert!(!by_ref(&d, "fw").is_metadata);
    assert_eq!(edges(&d), vec![edge("dev", "fw", "contains")]);
}

#[test]
fn pedigree_components_are_linked_marked_and_not_counted() {
    let d = doc(&bom(
        "1.4",
        r#"<components>
  <component type="library" bom-ref="fork"><name>fork</name>
    <pedigree>
      <ancestors><component type="library" bom-ref="upstream"><name>upstream</name>
        <components><component type="library" bom-ref="upstream-part"><name>part</name></component></components>
      </component></ancestors>
      <descendants><component type="library" bom-ref="child"><name>child</name></component></descendants>
      <variants><component type="library" bom-ref="variant"><name>variant</name></component></variants>
      <commits><commit><uid>123</uid></commit></commits>
      <notes>forked</notes>
    </pedigree>
  </component>
</components>"#,
    ));
    assert_eq!(d.component_count(), 1);
    assert_eq!(d.components.len(), 5);
    for r in ["upstream", "upstream-part", "child", "variant"] {
        assert!(by_ref(&d, r).is_pedigree, "{r}");
    }
    assert!(!by_ref(&d, "fork").is_pedigree);
    assert_eq!(
        edges(&d),
        vec![
            edge("fork", "upstream", "ancestor"),
            edge("upstream", "upstream-part", "contains"),
            edge("fork", "child", "descendant"),
            edge("fork", "variant", "variant"),
        ]
    );
}

#[test]
fn dependencies_become_depends_on_and_provides_edges() {
    let d = doc(&bom(
        "1.6",
        r#"<components>
             <component type="library" bom-ref="a"><name>a</name></component>
             <component type="library" bom-ref="b"><name>b</name></component>
             <component type="library" bom-ref="c"><name>c</name></component>
           </components>
           <dependencies>
             <dependency ref="a"><dependency ref="b"/><dependency ref="c"/><provides ref="c"/></dependency>
             <dependency ref="b"><dependency ref="c"></dependency></dependency>
             <dependency ref="c"/>
           </dependencies>"#,
    ));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_eq!(
        edges(&d),
        vec![
            edge("a", "b", "depends-on"),
            edge("a", "c", "depends-on"),
            edge("a", "c", "other(provides)"),
            edge("b", "c", "depends-on"),
        ]
    );
    let r = &d.relationships[0];
    assert_eq!(r.kind, RelKind::DependsOn(DepScope::Unspecified));
}

#[test]
fn dependencies_without_ref_or_to_unknown_refs_are_warnings() {
    let d = doc(&bom(
        "1.4",
        r#"<components><component type="library" bom-ref="a"><name>a</name></component></components>
           <dependencies>
             <dependency><dependency ref="a"/></dependency>
             <dependency ref="a"><dependency ref="nowhere"/></dependency>
           </dependencies>"#,
    ));
    assert!(d.relationships.iter().all(|r| r.inferred));
    let mut c = codes(&d);
    c.sort_unstable();
    assert_eq!(c, vec!["dangling-ref", "missing-ref"]);
    let missing = d.warnings.iter().find(|w| w.code == "missing-ref").unwrap();
    assert_eq!(missing.location, Location::line(5));
}

#[test]
fn the_1_1_dependency_graph_extension_is_read_at_bom_level_and_in_components() {
    let xml = r#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.1" xmlns:dg="http://cyclonedx.org/schema/ext/dependency-graph/1.0" version="1">
  <components>
    <component type="library" bom-ref="1"><name>a</name>
      <dg:dependencies><dg:dependency ref="2"><dg:dependency ref="3"/></dg:dependency></dg:dependencies>
    </component>
    <component type="library" bom-ref="2"><name>b</name></component>
    <component type="library" bom-ref="3"><name>c</name></component>
    <component type="library" bom-ref="4"><name>d</name></component>
  </components>
  <dg:dependencies>
    <dg:dependency ref="4"><dg:dependency ref="1"/></dg:dependency>
  </dg:dependencies>
</bom>"#;
    let d = doc(xml);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let mut e = edges(&d);
    e.sort();
    assert_eq!(
        e,
        vec![
            edge("1", "2", "depends-on"),
            edge("2", "3", "depends-on"),
            edge("4", "1", "depends-on"),
        ]
    );
    assert_eq!(d.component_count(), 4);
}

#[test]
fn services_and_tool_components_are_non_components() {
    let d = doc(&bom(
        "1.5",
        r#"<metadata><tools>
             <components><component type="application" bom-ref="tool-1"><name>scanner</name></component></components>
             <services><service bom-ref="tool-svc"><name>svc</name></service></services>
           </tools></metadata>
           <components><component type="library" bom-ref="a"><name>a</name></component></components>
           <services><service bom-ref="api"><name>api</name>
             <services><service bom-ref="inner-api"><name>inner</name></service></services>
           </service></services>
           <dependencies>
             <dependency ref="a"><dependency ref="api"/><dependency ref="inner-api"/><dependency ref="tool-1"/><dependency ref="tool-svc"/></dependency>
             <dependency ref="api"><dependency ref="a"/></dependency>
           </dependencies>"#,
    ));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_eq!(d.components.len(), 1);
    assert!(d.relationships.is_empty());
}

#[test]
fn unknown_cyclonedx_elements_are_reported_and_extensions_skipped_silently() {
    let d = doc(&bom(
        "1.4",
        r#"<metadata><mystery>1</mystery></metadata>
           <components xmlns:ext="urn:example:ext">
             <component type="library" bom-ref="a"><name>a</name>
               <bogus>x</bogus>
               <ext:name>not the name</ext:name>
               <releaseNotes><type>major</type></releaseNotes>
               <ext:anything><component type="library"><name>not a component</name></component></ext:anything>
             </component>
             <component type="library" bom-ref="b"><name>b</name><bogus/></component>
           </components>
           <vulnerabilities><vulnerability><id>CVE-1</id></vulnerability></vulnerabilities>
           <unheardOf/>
           <ext:top xmlns:ext="urn:example:ext"><components><component><name>no</name></component></components></ext:top>
           <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature>"#,
    ));
    assert_eq!(d.components.len(), 2);
    assert_eq!(by_ref(&d, "a").name, "a");
    let mut msgs: Vec<_> = d
        .warnings
        .iter()
        .map(|w| (w.code, w.message.clone()))
        .collect();
    msgs.sort();
    assert_eq!(msgs.len(), 3, "{msgs:?}");
    assert!(msgs.iter().all(|(c, _)| *c == "unknown-field"));
    assert!(
        msgs[0].1.contains("`bogus` in component (2 times"),
        "{msgs:?}"
    );
    assert!(msgs[1].1.contains("`mystery` in metadata"), "{msgs:?}");
    assert!(msgs[2].1.contains("`unheardOf` in bom"), "{msgs:?}");
    let bogus = d
        .warnings
        .iter()
        .find(|w| w.message.contains("bogus"))
        .unwrap();
    assert_eq!(bogus.location, Location::line(6));
}

#[test]
fn text_joins_entities_character_references_and_cdata_and_normalises_line_ends() {
    let d = doc(&bom(
        "1.4",
        "<components><component type=\"library\" bom-ref=\"a&amp;b\">\
           <name>Procter &amp; Gamble &#x41;&#66;</name>\
           <description><![CDATA[<raw> & text]]> and more</description>\
           <copyright>line1\r\nline2\rline3</copyright>\
         </component></components>",
    ));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let c = by_ref(&d, "a&b");
    assert_eq!(c.name, "Procter & Gamble AB");
    assert_eq!(c.description.as_deref(), Some("<raw> & text and more"));
    assert_eq!(c.copyright.as_deref(), Some("line1\nline2\nline3"));
}

#[test]
fn whitespace_after_references_cdata_and_comments_is_content() {
    let d = doc(&bom(
        "1.4",
        "<components><component type=\"library\">\
           <name>a<!-- note --> b &lt; c <![CDATA[d]]> e</name>\
         </component></components>",
    ));
    assert_eq!(d.components[0].name, "a b < c d e");
}

#[test]
fn declared_and_external_entities_are_never_expanded() {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE bom [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <components>
    <component type="library" bom-ref="&xxe;"><name>&xxe;</name><description>&lol2;</description></component>
  </components>
</bom>"#;
    let d = doc(xml);
    let c = &d.components[0];
    assert_eq!(c.name, "&xxe;");
    assert_eq!(c.bom_ref, "&xxe;");
    assert_eq!(c.description.as_deref(), Some("&lol2;"));
    let w: Vec<_> = d
        .warnings
        .iter()
        .filter(|w| w.code == "unknown-entity")
        .collect();
    assert_eq!(w.len(), 1);
    assert!(
        w[0].message.starts_with("3 reference(s)"),
        "{}",
        w[0].message
    );
    assert_eq!(w[0].location, Location::line(10));
}

#[test]
fn a_bare_ampersand_is_kept_as_text_with_a_warning() {
    let d = doc(&bom(
        "1.4",
        "<components><component type=\"library\"><name>AT&T tools</name></component></components>",
    ));
    assert_eq!(d.components[0].name, "AT&T tools");
    assert_eq!(codes(&d), vec!["dangling-ampersand"]);
}

#[test]
fn malformed_xml_is_a_syntax_error_with_line_and_column() {
    let xml = bom(
        "1.4",
        "<components>\n  <component type=\"library\"><name>a</nam></component>\n</components>",
    );
    match read(&xml) {
        Err(IngestError::Syntax { line, column, .. }) => {
            assert_eq!(line, 4);
            assert!(column > 1);
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    let xml = bom(
        "1.4",
        "<components><component type=library><name>a</name></component></components>",
    );
    assert!(matches!(
        read(&xml),
        Err(IngestError::Syntax { line: 3, .. })
    ));
}

#[test]
fn cut_documents_are_truncation_errors() {
    let full = bom(
        "1.4",
        "<components><component type=\"library\" bom-ref=\"a\"><name>a</name></component></components>",
    );
    for cut in [full.len() - 8, full.len() / 2, 120, 60] {
        let part = &full[..cut];
        match read(part) {
            Err(IngestError::Truncated { .. }) => {}
            Err(IngestError::NotSbom { .. }) if cut < 70 => {}
            other => panic!("cut at {cut}: expected truncation, got {other:?}"),
        }
    }
    // Cut inside a tag.
    assert!(matches!(
        read("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components><compon"),
        Err(IngestError::Truncated { line: 1, .. })
    ));
}

#[test]
fn nesting_deeper_than_the_limit_is_too_deep_even_in_skipped_content() {
    let limits = Limits {
        max_depth: 10,
        ..Limits::default()
    };
    let deep = format!(
        "<components><component type=\"library\"><name>a</name><releaseNotes>{}{}</releaseNotes></component></components>",
        "<x>".repeat(20),
        "</x>".repeat(20)
    );
    match read_with(&bom("1.4", &deep), limits) {
        Err(IngestError::TooDeep { limit, location }) => {
            assert_eq!(limit, 10);
            assert_eq!(location, Location::line(3));
        }
        other => panic!("expected TooDeep, got {other:?}"),
    }
    let shallow = bom(
        "1.4",
        "<components><component type=\"library\"><name>a</name></component></components>",
    );
    assert!(read_with(&shallow, limits).is_ok());
}

#[test]
fn deeply_nested_components_within_a_large_limit_do_not_recurse() {
    let n = 20_000;
    let mut body = String::from("<components>");
    for i in 0..n {
        body.push_str(&format!(
            "<component type=\"library\" bom-ref=\"c{i}\"><name>c{i}</name><components>"
        ));
    }
    for _ in 0..n {
        body.push_str("</components></component>");
    }
    body.push_str("</components>");
    let limits = Limits {
        max_depth: 100_000,
        ..Limits::default()
    };
    let d = read_with(&bom("1.4", &body), limits).expect("reads");
    assert_eq!(d.component_count(), n);
    assert_eq!(
        d.relationships.iter().filter(|r| !r.inferred).count(),
        n - 1
    );
}

#[test]
fn empty_element_components_and_missing_names() {
    let d = doc(&bom(
        "1.4",
        r#"<components><component type="library" bom-ref="a"/><component type="library"><version>1</version></component></components>"#,
    ));
    assert_eq!(d.component_count(), 2);
    assert_eq!(codes(&d), vec!["missing-name", "missing-name"]);
    assert!(d.components[1].ref_synthesized);
}

#[test]
fn content_after_the_root_is_ignored_with_a_warning() {
    let xml = format!("{}<extra/>", bom("1.4", "<components/>"));
    let d = doc(&xml);
    assert_eq!(codes(&d), vec!["trailing-content"]);
    let xml = format!("{}<!-- done -->\n", bom("1.4", "<components/>"));
    assert!(doc(&xml).warnings.is_empty());
}

#[test]
fn a_doctype_is_allowed_and_ignored() {
    let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE bom>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.3\"><components>\
               <component type=\"library\"><name>a</name></component></components></bom>";
    let d = doc(xml);
    assert_eq!(d.component_count(), 1);
    assert_eq!(d.components[0].location, Location::line(3));
}

#[test]
fn a_redeclared_default_namespace_hides_cyclonedx_elements() {
    let d = doc(&bom(
        "1.4",
        r#"<components><component type="library" bom-ref="a"><name>a</name>
             <extension xmlns="urn:other"><name>hijack</name><components><component><name>x</name></component></components></extension>
           </component></components>"#,
    ));
    assert_eq!(d.components.len(), 1);
    assert_eq!(d.components[0].name, "a");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn a_rebound_prefix_applies_only_inside_the_declaring_element() {
    let xml = r#"<c:bom xmlns:c="http://cyclonedx.org/schema/bom/1.4"><c:components>
      <c:component type="library" bom-ref="a"><c:name>a</c:name>
        <ext xmlns:c="urn:other"><c:name>hijack</c:name><c:components><c:component><c:name>x</c:name></c:component></c:components></ext>
        <empty xmlns:c="urn:other"/>
        <c:version>1</c:version>
      </c:component>
    </c:components></c:bom>"#;
    let d = doc(xml);
    assert_eq!(d.components.len(), 1);
    assert_eq!(d.components[0].name, "a");
    assert_eq!(d.components[0].version.as_deref(), Some("1"));
}

#[test]
fn hostile_fragments_never_panic() {
    let cases = [
        "<",
        "<bom",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"></bom></bom>",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components><component></components></bom>",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><![CDATA[",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><!-- ",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">&#xD800;&#0;&#xFFFFFFFF;&;&#;</bom>",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components><component bom-ref=\"&#0;\"><name>&#xZZ;</name></component></components></bom>",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\" xmlns:=\"x\"><p:components/></bom>",
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><dependencies><dependency ref=\"a\"><dependency ref=\"\"/></dependency></dependencies></bom>",
        "<!DOCTYPE [ <bom/>",
        "<?xml ?><bom/>",
        "\u{feff}<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>",
    ];
    for xml in cases {
        let _ = read(xml);
    }
}

#[test]
fn strict_mode_turns_reader_warnings_into_an_error() {
    let xml = bom(
        "1.4",
        "<components><component type=\"library\"><name>a</name><bogus/></component></components>",
    );
    let opts = ReadOptions::new(Limits::default(), true);
    assert!(matches!(
        parse_as("t", Format::CycloneDxXml, &xml, &opts),
        Err(IngestError::Strict { .. })
    ));
}
