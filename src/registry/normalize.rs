//! Name normalisation for matching party and product names: Unicode NFKC, lower case,
//! punctuation to spaces, whitespace collapsed, legal forms (`Ltd`, `GmbH`, `AO`, `ООО`,
//! `Co., Ltd.`, `有限公司` ...) stripped from the end, and from the start where they are written
//! as prefixes (Russian forms). Words that tell entities apart (`Technologies`, `Lab`, `Group`)
//! are kept.

use unicode_normalization::UnicodeNormalization;

/// Legal forms stripped from the end of a name, as normalised tokens.
const SUFFIXES: &[&[&str]] = &[
    &["ltd"],
    &["limited"],
    &["inc"],
    &["incorporated"],
    &["llc"],
    &["l", "l", "c"],
    &["llp"],
    &["l", "l", "p"],
    &["gmbh"],
    &["ag"],
    &["kg"],
    &["kgaa"],
    &["co"],
    &["company"],
    &["corp"],
    &["corporation"],
    &["sa"],
    &["s", "a"],
    &["srl"],
    &["s", "r", "l"],
    &["sro"],
    &["s", "r", "o"],
    &["spol", "s", "r", "o"],
    &["spa"],
    &["s", "p", "a"],
    &["sas"],
    &["s", "a", "s"],
    &["sarl"],
    &["s", "a", "r", "l"],
    &["a", "s"],
    &["oy"],
    &["oyj"],
    &["ab"],
    &["asa"],
    &["plc"],
    &["bv"],
    &["b", "v"],
    &["nv"],
    &["n", "v"],
    &["pty"],
    &["kk"],
    &["k", "k"],
    &["ltda"],
    &["pte"],
    &["bhd"],
    &["sdn"],
    &["ao"],
    &["ooo"],
    &["zao"],
    &["oao"],
    &["pao"],
    &["jsc"],
    &["pjsc"],
    &["ojsc"],
    &["cjsc"],
    &["ао"],
    &["ооо"],
    &["зао"],
    &["оао"],
    &["пао"],
    &["株式会社"],
    &["有限公司"],
];

/// Legal forms stripped from the start (where they are written as prefixes).
const PREFIXES: &[&[&str]] = &[
    &["ao"],
    &["ooo"],
    &["zao"],
    &["oao"],
    &["pao"],
    &["jsc"],
    &["pjsc"],
    &["ojsc"],
    &["cjsc"],
    &["llc"],
    &["ао"],
    &["ооо"],
    &["зао"],
    &["оао"],
    &["пао"],
    &["株式会社"],
];

/// Legal forms glued to the end of a CJK name (no space before them).
const GLUED_SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
    "株式会社",
];

/// Normalise text without touching legal forms: NFKC, lower case, apostrophes dropped, other
/// punctuation and symbols turned into spaces, whitespace collapsed and trimmed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            for l in c.to_lowercase() {
                out.push(l);
            }
        } else if matches!(c, '\'' | '’' | 'ʼ' | '`') {
            // "McAfee's" → "mcafees": an apostrophe does not split a word.
        } else {
            pending_space = true;
        }
    };
    if s.is_ascii() {
        for c in s.chars() {
            push(c, &mut out);
        }
    } else {
        for c in s.nfkc() {
            push(c, &mut out);
        }
    }
    out
}

/// Normalise a party or product name for exact comparison: [`fold`], then strip legal forms.
/// A name made only of legal forms is kept as folded.
pub fn normalize_name(s: &str) -> String {
    let folded = fold(s);
    let mut tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    let mut glued: Option<String> = None;
    loop {
        let before = tokens.len();
        strip_end(&mut tokens, SUFFIXES);
        strip_start(&mut tokens, PREFIXES);
        if tokens.len() == before {
            break;
        }
    }
    // A CJK name carries its legal form without a space: 华为技术有限公司.
    if let Some(last) = tokens.last() {
        for suf in GLUED_SUFFIXES {
            if let Some(stem) = last.strip_suffix(suf) {
                if !stem.is_empty() {
                    glued = Some(stem.to_string());
                    break;
                }
            }
        }
    }
    if tokens.is_empty() {
        return folded;
    }
    let mut out = String::with_capacity(folded.len());
    let n = tokens.len();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match (&glued, i + 1 == n) {
            (Some(stem), true) => out.push_str(stem),
            _ => out.push_str(t),
        }
    }
    out
}

/// Strip the longest legal form at the end (`spol s r o` before `s r o`); never the whole name.
fn strip_end(tokens: &mut Vec<&str>, forms: &[&[&str]]) {
    let longest = forms
        .iter()
        .filter(|f| tokens.len() > f.len() && tokens.ends_with(f))
        .map(|f| f.len())
        .max();
    if let Some(n) = longest {
        tokens.truncate(tokens.len() - n);
    }
}

/// Strip the longest legal form at the start; never the whole name.
fn strip_start(tokens: &mut Vec<&str>, forms: &[&[&str]]) {
    let longest = forms
        .iter()
        .filter(|f| tokens.len() > f.len() && tokens.starts_with(f))
        .map(|f| f.len())
        .max();
    if let Some(n) = longest {
        tokens.drain(..n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize_name(s)
    }

    #[test]
    fn legal_forms_are_stripped_from_the_end_repeatedly() {
        assert_eq!(n("Huawei Technologies Co., Ltd."), "huawei technologies");
        assert_eq!(n("Kaspersky Lab, Inc."), "kaspersky lab");
        assert_eq!(n("Kaspersky Labs Limited"), "kaspersky labs");
        assert_eq!(n("Kaspersky Lab ZAO"), "kaspersky lab");
        assert_eq!(n("ESET, spol. s r.o."), "eset");
        assert_eq!(n("Bitdefender S.R.L."), "bitdefender");
        assert_eq!(n("Acme L.L.C."), "acme");
        assert_eq!(n("Example GmbH & Co. KG"), "example");
        assert_eq!(n("WithSecure Oyj"), "withsecure");
        assert_eq!(n("Philips N.V."), "philips");
        assert_eq!(n("Foo Pty Ltd"), "foo");
        assert_eq!(n("Sony K.K."), "sony");
        assert_eq!(n("Acronis AG"), "acronis");
        assert_eq!(n("Sophos plc"), "sophos");
        assert_eq!(n("ZTE Corporation"), "zte");
    }

    #[test]
    fn russian_forms_are_stripped_where_written_as_prefixes() {
        assert_eq!(n("AO Kaspersky Lab"), "kaspersky lab");
        assert_eq!(n("OOO Kaspersky Group"), "kaspersky group");
        assert_eq!(n("JSC Kaspersky Lab"), "kaspersky lab");
    }

    #[test]
    fn distinguishing_words_are_kept() {
        assert_eq!(n("Huawei Technologies"), "huawei technologies");
        assert_ne!(n("Kaspersky Lab"), n("Kaspersky"));
        assert_ne!(n("Kaspersky Group"), n("Kaspersky Lab"));
        assert_eq!(
            n("China Telecom (Americas) Corp."),
            "china telecom americas"
        );
    }

    #[test]
    fn near_miss_names_stay_apart() {
        assert_ne!(n("Kaspersky"), n("Kasper Systems"));
        assert_eq!(n("Kasper Systems Inc."), "kasper systems");
        assert_ne!(n("Huawei"), n("Huawei-like"));
        assert_eq!(n("Huawei-like"), "huawei like");
        assert_eq!(n("UltraAV"), "ultraav");
        assert_ne!(n("UltraAV"), n("Ultra AV"));
        // Case differences are what normalisation removes...
        assert_eq!(n("ZTE"), n("Zte"));
        // ...but extra words are not: "Zte Tools" is a different name (aliases cover spellings).
        assert_ne!(n("ZTE"), n("Zte Tools"));
    }

    #[test]
    fn cyrillic_names_fold_and_lose_their_legal_forms() {
        assert_eq!(n("АО «Лаборатория Касперского»"), "лаборатория касперского");
        assert_eq!(n("ООО «Доктор Веб»"), "доктор веб");
        // Latin "AO" and Cyrillic "АО" look alike but are different letters; both are stripped.
        assert_eq!(n("AO «Лаборатория Касперского»"), "лаборатория касперского");
    }

    #[test]
    fn full_width_and_compatibility_characters_fold_by_nfkc() {
        assert_eq!(n("ＫＡＳＰＥＲＳＫＹ　ＬＡＢ"), "kaspersky lab");
        assert_eq!(
            n("Ｈｕａｗｅｉ Technologies Co., Ltd."),
            "huawei technologies"
        );
        assert_eq!(fold("ﬁle"), "file");
    }

    #[test]
    fn cjk_legal_forms_glued_to_the_name_are_stripped() {
        assert_eq!(n("华为技术有限公司"), "华为技术");
        assert_eq!(n("中兴通讯股份有限公司"), "中兴通讯");
        assert_eq!(n("有限公司"), "有限公司");
    }

    #[test]
    fn names_made_only_of_legal_forms_are_kept() {
        assert_eq!(n("Co"), "co");
        assert_eq!(n("AO"), "ao");
        assert_eq!(n("Inc."), "inc");
        assert_eq!(n(""), "");
        assert_eq!(n("  ...  "), "");
    }

    #[test]
    fn punctuation_and_whitespace_collapse() {
        assert_eq!(
            fold("  Kaspersky\tAnti-Virus   SDK "),
            "kaspersky anti virus sdk"
        );
        assert_eq!(fold("Dr.Web"), "dr web");
        assert_eq!(fold("McAfee's"), "mcafees");
        assert_eq!(n("kaspersky_lab"), "kaspersky lab");
    }
}
