/**
 * Unicode Script property values (Unicode 16, PropertyValueAliases.txt), by their long names. Scripts the running
 * engine does not know (an older ICU) are skipped: none of them is in a name the engine can map anyway.
 */
const SCRIPT_NAMES =
  `Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki
Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian
Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs
Elbasan Elymaic Ethiopic Garay Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Gurung_Khema
Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inscriptional_Pahlavi
Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki
Khudawadi Kirat_Rai Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic
Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao
Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu
Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Ol_Onal Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian
Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa
Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian
Sora_Sompeng Soyombo Sundanese Sunuwar Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil
Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Todhri Toto Tulu_Tigalari Ugaritic Vai Vithkuqi Wancho
Warang_Citi Yezidi Yi Zanabazar_Square`.split(/\s+/);

let matchers: ReadonlyArray<readonly [string, RegExp]> | undefined;

/** One `\p{Script_Extensions=…}` test per script the engine knows, built on first use. */
function scriptMatchers(): ReadonlyArray<readonly [string, RegExp]> {
  matchers ??= SCRIPT_NAMES.flatMap((name) => {
    try {
      return [[name.replaceAll('_', ' '), new RegExp(`^\\p{Script_Extensions=${name}}$`, 'u')] as const];
    } catch {
      return [];
    }
  });
  return matchers;
}

/**
 * The scripts a character is used with (its Script_Extensions, UAX #24), or an empty set for characters of every
 * script (Common and Inherited: digits, the hyphen, combining marks shared by all scripts).
 */
export function scriptExtensionsOf(char: string): ReadonlySet<string> {
  if (/^[a-z]$/i.test(char)) return LATIN;
  if (/^\p{Script_Extensions=Common}$|^\p{Script_Extensions=Inherited}$/u.test(char)) return NONE;
  return new Set(scriptMatchers().flatMap(([name, pattern]) => (pattern.test(char) ? [name] : [])));
}

const LATIN: ReadonlySet<string> = new Set(['Latin']);
const NONE: ReadonlySet<string> = new Set();
