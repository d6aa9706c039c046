/**
 * Many PDF writers (Chromium's among them) map CJK glyphs back to text through the font's cmap, and where a
 * font gives one glyph to both a radical and an ideograph, the text layer gets the radical: "⻰岗" for 龙岗,
 * "⼀般" for 一般. Kangxi radicals (U+2F00–U+2FD5) fold to their ideograph by NFKC; the CJK Radicals
 * Supplement (U+2E80–U+2EF3) has no such mapping, so its pairs are listed here, read off the cmap of
 * Noto Sans CJK SC (the glyph both code points share).
 */
const SUPPLEMENT_FROM =
  '⺂⺃⺅⺉⺏⺐⺒⺓⺔⺕⺖⺘⺙⺛⺞⺟⺠⺡⺣⺤⺦⺨⺭⺯⺰⺱⺹⺺⺾⻂⻅⻆⻈⻉⻋⻌⻐⻑⻒⻓⻔⻖⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻮⻯⻰⻱⻲⻳';
const SUPPLEMENT_TO =
  '乛乚亻刂尣尢巳幺彑彐忄扌攵旡歺母民氵灬爫丬犭礻糹纟罓耂肀艹衤见角讠贝车辶钅長镸长门阝青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐齿竜龙龜亀龟';

const FOLD = new Map<string, string>([...SUPPLEMENT_FROM].map((c, i) => [c, [...SUPPLEMENT_TO][i] as string]));
// NFKC makes ⼾ the traditional 戶; in simplified text the glyph is 户.
FOLD.set('⼾', '户');

/** Radicals in a text layer replaced by the ideographs they stand for. */
export function foldRadicals(text: string): string {
  return text.replace(/[\u2e80-\u2ef3\u2f00-\u2fd5]/g, (c) => FOLD.get(c) ?? c.normalize('NFKC'));
}
