//! Codec tables: Python's codec names and aliases, and the single-byte codecs that
//! `encoding_rs` implements exactly (up to the listed holes).

use encoding_rs::Encoding;

use super::Codec;

/// A single-byte Python codec backed by an `encoding_rs` table.
pub(super) struct SingleByte {
    /// Python's module name (`encodings.<module>`).
    pub(super) module: &'static str,
    /// Python's `CodecInfo.name`.
    pub(super) codec_name: &'static str,
    /// The WHATWG encoding whose table matches Python's.
    pub(super) encoding: &'static Encoding,
    /// Bytes that Python leaves undefined but WHATWG maps (to C1 controls and the like).
    pub(super) holes: &'static [u8],
}

/// Python single-byte codecs whose tables match `encoding_rs` except for the listed holes
/// (checked byte by byte against CPython 3.11).
pub(super) static SINGLE_BYTE: [SingleByte; 26] = {
    use encoding_rs as e;
    macro_rules! sb {
        ($module:literal, $name:literal, $enc:expr, [$($hole:literal),*]) => {
            SingleByte { module: $module, codec_name: $name, encoding: &$enc, holes: &[$($hole),*] }
        };
    }
    [
        sb!("cp866", "cp866", e::IBM866_INIT, []),
        sb!("iso8859_2", "iso8859-2", e::ISO_8859_2_INIT, []),
        sb!("iso8859_3", "iso8859-3", e::ISO_8859_3_INIT, []),
        sb!("iso8859_4", "iso8859-4", e::ISO_8859_4_INIT, []),
        sb!("iso8859_5", "iso8859-5", e::ISO_8859_5_INIT, []),
        sb!("iso8859_6", "iso8859-6", e::ISO_8859_6_INIT, []),
        sb!("iso8859_7", "iso8859-7", e::ISO_8859_7_INIT, []),
        sb!("iso8859_8", "iso8859-8", e::ISO_8859_8_INIT, []),
        sb!("iso8859_10", "iso8859-10", e::ISO_8859_10_INIT, []),
        sb!("iso8859_13", "iso8859-13", e::ISO_8859_13_INIT, []),
        sb!("iso8859_14", "iso8859-14", e::ISO_8859_14_INIT, []),
        sb!("iso8859_15", "iso8859-15", e::ISO_8859_15_INIT, []),
        sb!("iso8859_16", "iso8859-16", e::ISO_8859_16_INIT, []),
        sb!("koi8_r", "koi8-r", e::KOI8_R_INIT, []),
        sb!("mac_roman", "mac-roman", e::MACINTOSH_INIT, []),
        sb!("mac_cyrillic", "mac-cyrillic", e::X_MAC_CYRILLIC_INIT, []),
        sb!(
            "cp874",
            "cp874",
            e::WINDOWS_874_INIT,
            [
                0x81, 0x82, 0x83, 0x84, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F,
                0x90, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F
            ]
        ),
        sb!(
            "cp1250",
            "cp1250",
            e::WINDOWS_1250_INIT,
            [0x81, 0x83, 0x88, 0x90, 0x98]
        ),
        sb!("cp1251", "cp1251", e::WINDOWS_1251_INIT, [0x98]),
        sb!(
            "cp1252",
            "cp1252",
            e::WINDOWS_1252_INIT,
            [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        ),
        sb!(
            "cp1253",
            "cp1253",
            e::WINDOWS_1253_INIT,
            [0x81, 0x88, 0x8A, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x98, 0x9A, 0x9C, 0x9D, 0x9E, 0x9F]
        ),
        sb!(
            "cp1254",
            "cp1254",
            e::WINDOWS_1254_INIT,
            [0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E]
        ),
        sb!(
            "cp1255",
            "cp1255",
            e::WINDOWS_1255_INIT,
            [0x81, 0x8A, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9C, 0x9D, 0x9E, 0x9F, 0xCA]
        ),
        sb!("cp1256", "cp1256", e::WINDOWS_1256_INIT, []),
        sb!(
            "cp1257",
            "cp1257",
            e::WINDOWS_1257_INIT,
            [0x81, 0x83, 0x88, 0x8A, 0x8C, 0x90, 0x98, 0x9A, 0x9C, 0x9F]
        ),
        sb!(
            "cp1258",
            "cp1258",
            e::WINDOWS_1258_INIT,
            [0x81, 0x8A, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9D, 0x9E]
        ),
    ]
};

/// Python module names of the codecs that are not single-byte tables.
pub(super) static MODULES: [(&str, Codec); 7] = [
    ("utf_8", Codec::Utf8),
    ("utf_8_sig", Codec::Utf8Sig),
    ("utf_16", Codec::Utf16),
    ("utf_16_le", Codec::Utf16Le),
    ("utf_16_be", Codec::Utf16Be),
    ("latin_1", Codec::Latin1),
    ("ascii", Codec::Ascii),
];

/// Python's `encodings.aliases.aliases` entries for the supported codecs (alias → module).
pub(super) static ALIASES: &[(&str, &str)] = &[
    ("cp65001", "utf_8"),
    ("u8", "utf_8"),
    ("utf", "utf_8"),
    ("utf8", "utf_8"),
    ("utf8_ucs2", "utf_8"),
    ("utf8_ucs4", "utf_8"),
    ("u16", "utf_16"),
    ("utf16", "utf_16"),
    ("unicodelittleunmarked", "utf_16_le"),
    ("utf_16le", "utf_16_le"),
    ("unicodebigunmarked", "utf_16_be"),
    ("utf_16be", "utf_16_be"),
    ("8859", "latin_1"),
    ("cp819", "latin_1"),
    ("csisolatin1", "latin_1"),
    ("ibm819", "latin_1"),
    ("iso8859", "latin_1"),
    ("iso8859_1", "latin_1"),
    ("iso_8859_1", "latin_1"),
    ("iso_8859_1_1987", "latin_1"),
    ("iso_ir_100", "latin_1"),
    ("l1", "latin_1"),
    ("latin", "latin_1"),
    ("latin1", "latin_1"),
    ("646", "ascii"),
    ("ansi_x3.4_1968", "ascii"),
    ("ansi_x3.4_1986", "ascii"),
    ("ansi_x3_4_1968", "ascii"),
    ("cp367", "ascii"),
    ("csascii", "ascii"),
    ("ibm367", "ascii"),
    ("iso646_us", "ascii"),
    ("iso_646.irv_1991", "ascii"),
    ("iso_ir_6", "ascii"),
    ("us", "ascii"),
    ("us_ascii", "ascii"),
    ("866", "cp866"),
    ("csibm866", "cp866"),
    ("ibm866", "cp866"),
    ("csisolatin2", "iso8859_2"),
    ("iso_8859_2", "iso8859_2"),
    ("iso_8859_2_1987", "iso8859_2"),
    ("iso_ir_101", "iso8859_2"),
    ("l2", "iso8859_2"),
    ("latin2", "iso8859_2"),
    ("csisolatin3", "iso8859_3"),
    ("iso_8859_3", "iso8859_3"),
    ("iso_8859_3_1988", "iso8859_3"),
    ("iso_ir_109", "iso8859_3"),
    ("l3", "iso8859_3"),
    ("latin3", "iso8859_3"),
    ("csisolatin4", "iso8859_4"),
    ("iso_8859_4", "iso8859_4"),
    ("iso_8859_4_1988", "iso8859_4"),
    ("iso_ir_110", "iso8859_4"),
    ("l4", "iso8859_4"),
    ("latin4", "iso8859_4"),
    ("csisolatincyrillic", "iso8859_5"),
    ("cyrillic", "iso8859_5"),
    ("iso_8859_5", "iso8859_5"),
    ("iso_8859_5_1988", "iso8859_5"),
    ("iso_ir_144", "iso8859_5"),
    ("arabic", "iso8859_6"),
    ("asmo_708", "iso8859_6"),
    ("csisolatinarabic", "iso8859_6"),
    ("ecma_114", "iso8859_6"),
    ("iso_8859_6", "iso8859_6"),
    ("iso_8859_6_1987", "iso8859_6"),
    ("iso_ir_127", "iso8859_6"),
    ("csisolatingreek", "iso8859_7"),
    ("ecma_118", "iso8859_7"),
    ("elot_928", "iso8859_7"),
    ("greek", "iso8859_7"),
    ("greek8", "iso8859_7"),
    ("iso_8859_7", "iso8859_7"),
    ("iso_8859_7_1987", "iso8859_7"),
    ("iso_ir_126", "iso8859_7"),
    ("csisolatinhebrew", "iso8859_8"),
    ("hebrew", "iso8859_8"),
    ("iso_8859_8", "iso8859_8"),
    ("iso_8859_8_1988", "iso8859_8"),
    ("iso_ir_138", "iso8859_8"),
    ("csisolatin6", "iso8859_10"),
    ("iso_8859_10", "iso8859_10"),
    ("iso_8859_10_1992", "iso8859_10"),
    ("iso_ir_157", "iso8859_10"),
    ("l6", "iso8859_10"),
    ("latin6", "iso8859_10"),
    ("iso_8859_13", "iso8859_13"),
    ("l7", "iso8859_13"),
    ("latin7", "iso8859_13"),
    ("iso_8859_14", "iso8859_14"),
    ("iso_8859_14_1998", "iso8859_14"),
    ("iso_celtic", "iso8859_14"),
    ("iso_ir_199", "iso8859_14"),
    ("l8", "iso8859_14"),
    ("latin8", "iso8859_14"),
    ("iso_8859_15", "iso8859_15"),
    ("l9", "iso8859_15"),
    ("latin9", "iso8859_15"),
    ("iso_8859_16", "iso8859_16"),
    ("iso_8859_16_2001", "iso8859_16"),
    ("iso_ir_226", "iso8859_16"),
    ("l10", "iso8859_16"),
    ("latin10", "iso8859_16"),
    ("cskoi8r", "koi8_r"),
    ("macintosh", "mac_roman"),
    ("macroman", "mac_roman"),
    ("maccyrillic", "mac_cyrillic"),
    ("1250", "cp1250"),
    ("windows_1250", "cp1250"),
    ("1251", "cp1251"),
    ("windows_1251", "cp1251"),
    ("1252", "cp1252"),
    ("windows_1252", "cp1252"),
    ("1253", "cp1253"),
    ("windows_1253", "cp1253"),
    ("1254", "cp1254"),
    ("windows_1254", "cp1254"),
    ("1255", "cp1255"),
    ("windows_1255", "cp1255"),
    ("1256", "cp1256"),
    ("windows_1256", "cp1256"),
    ("1257", "cp1257"),
    ("windows_1257", "cp1257"),
    ("1258", "cp1258"),
    ("windows_1258", "cp1258"),
];

/// Spellings kept without allocating when given to [`Charset::from_label`].
pub(super) static COMMON_SPELLINGS: &[&str] = &[
    "utf-8",
    "UTF-8",
    "utf8",
    "UTF8",
    "latin-1",
    "latin1",
    "iso-8859-1",
    "ISO-8859-1",
    "iso8859-1",
    "iso-8859-15",
    "ISO-8859-15",
    "cp1252",
    "windows-1252",
    "ascii",
    "us-ascii",
    "US-ASCII",
    "utf-16",
    "UTF-16",
    "utf-8-sig",
];
