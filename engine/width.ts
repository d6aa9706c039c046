/**
 * How many columns a text takes in a terminal or a monospaced grid: East Asian wide and full-width characters
 * take two (CJK ideographs, kana, Hangul, full-width forms such as ￥ and （）, CJK extensions beyond U+FFFF,
 * and the common emoji blocks), everything else one. One function for the CLI's tables, the bench's tables and
 * the notebook's grid. Free of dependencies, so the browser can import it too.
 */
const WIDE: [number, number][] = [
  [0x1100, 0x115f], // Hangul Jamo
  [0x2e80, 0xa4cf], // CJK radicals … Yi (ideographs, kana, CJK punctuation)
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xff60], // full-width forms
  [0xffe0, 0xffe6], // full-width signs (￥ ￡ …)
  [0x1f300, 0x1f64f], // emoji: symbols and pictographs, emoticons
  [0x1f900, 0x1f9ff], // emoji: supplemental symbols and pictographs
  [0x20000, 0x3fffd], // CJK extensions B–H
];

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    w += cp >= 0x1100 && WIDE.some(([a, b]) => cp >= a && cp <= b) ? 2 : 1;
  }
  return w;
}
