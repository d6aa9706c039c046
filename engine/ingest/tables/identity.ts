import { squash, type Line } from '../budget-text/lines.ts';

/** Who a document is about and what it is: read from its cover or title. */
export interface Identity {
  department: string;
  year: number;
  stage: 'budget' | 'final';
  /** 部门 (a department's consolidated budget) or 单位 (one unit's). */
  scope: '部门' | '单位';
  title: string;
  line: number;
}

/** Names that are not a department: "上海市普陀区2023年区级部门预算" names no one. */
const GENERIC = /^(?:区级|市级|县级|省级|本级|镇级|乡级|[省市区县]本级|部门|单位|本部门|本单位|[省市区县])?$/;
/** A line naming the department or unit outright. */
const LABEL =
  /^(?:预算主管部门|主管部门|预算单位|部门名称|单位名称|编制部门|编制单位|填报单位|部门（单位）名称|部门\(单位\)名称)[:：](.+)$/;

const TITLE_AFTER = /^(.*?)(\d{4})年(.*?)(部门|单位)(预算|决算)(?:[(（](?:草案|公开)[)）])?$/;

/**
 * The department, year and stage of a document from the first lines of its cover: "2026年深圳市信访局部门预算",
 * "上海市普陀区财政局2024年度部门决算", a title wrapped over several lines ("2026年" / "广州市气象局部门预算"), with
 * spaces between characters, or a generic title ("上海市普陀区2023年区级部门预算") with the name on a line of
 * its own ("预算主管部门：上海市普陀区人民政府万里街道办事处").
 */
export function findIdentity(lines: Line[]): Identity | undefined {
  const head = lines.slice(0, 80);
  const labelled = head
    .map((l) => ({ l, m: LABEL.exec(squash(l.cells[0] ?? '')) }))
    .find((x) => x.m && !GENERIC.test(clean(x.m[1] as string)));
  const named = labelled ? clean(labelled.m?.[1] as string) : undefined;
  // The shortest run of lines that ends on a line completing a title: "附件1" / "深圳市信访局" / "2026年部门预算"
  // is 深圳市信访局's, not "附件1深圳市信访局"'s.
  for (let j = 0; j < head.length; j++) {
    for (let k = 1; k <= 4 && j - k + 1 >= 0; k++) {
      const group = head.slice(j - k + 1, j + 1);
      if (group.some((l) => l.cells.length > 1)) break;
      const text = chineseYear(group.map((l) => squash(l.text)).join(''));
      const m = TITLE_AFTER.exec(text.replace(/年度/g, '年'));
      if (!m) continue;
      const [, before, year, after, scope, stage] = m as unknown as [string, string, string, string, string, string];
      let department = clean(after) || clean(before);
      if (GENERIC.test(department) || /^\d|目录/.test(department)) {
        if (!named) continue;
        department = named;
      }
      // A name printed before the year may begin on the line above ("上海市普陀区人民政府" /
      // "万里街道办事处2023年部门预算"): a short line of Chinese only, not a heading or an annex number.
      const above = head[j - k];
      if (department === clean(before) && before && above && above.cells.length <= 1) {
        const a = squash(above.text);
        if (/^[\u4e00-\u9fff（）()]{2,20}$/.test(a) && !/^(?:附件|附表|目录)|部门预算|单位预算|决算/.test(a))
          department = a + department;
      }
      return {
        department,
        year: Number(year),
        stage: stage === '决算' ? 'final' : 'budget',
        scope: scope as '部门' | '单位',
        title: group.map((l) => l.text.trim()).join(''),
        line: (group[0] as Line).no,
      };
    }
  }
  return undefined;
}

/** A name as printed, without spaces, trailing punctuation or a unit note ("单位：万元") run into it. */
function clean(name: string): string {
  return squash(name)
    .replace(/单位[:：].*$/, '')
    .replace(/^[:：]|[:：，,。]$/g, '');
}

const DIGIT: Record<string, string> = {
  〇: '0',
  零: '0',
  一: '1',
  二: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};

/** "二〇二四年" → "2024年" (covers print the year in Chinese numerals too). */
function chineseYear(text: string): string {
  return text.replace(/([〇零一二三四五六七八九]{4})(?=年)/g, (y) => [...y].map((c) => DIGIT[c] ?? c).join(''));
}
