import type { MoneyUnit } from './format.ts';
import type { Lang } from './i18n.ts';

/** Where each preference is kept in localStorage. */
const KEYS = { lang: 'budget.lang', theme: 'budget.theme', unit: 'budget.unit' } as const;

/** The reader's preferences, kept in the browser: the language, the dark theme, the money unit of the grids. */
export class Preferences {
  lang = $state<Lang>('zh');
  dark = $state(false);
  unit = $state<MoneyUnit>('万元');

  /** Read the stored preferences; with no theme chosen yet, the system's colour scheme. */
  load(): void {
    this.lang = (localStorage.getItem(KEYS.lang) as Lang | null) ?? 'zh';
    const theme = localStorage.getItem(KEYS.theme);
    this.dark = theme === 'dark' || (!theme && matchMedia('(prefers-color-scheme: dark)').matches);
    this.unit = (localStorage.getItem(KEYS.unit) as MoneyUnit | null) ?? '万元';
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    localStorage.setItem(KEYS.lang, lang);
  }

  setTheme(dark: boolean): void {
    this.dark = dark;
    localStorage.setItem(KEYS.theme, dark ? 'dark' : 'light');
  }

  setUnit(unit: MoneyUnit): void {
    this.unit = unit;
    localStorage.setItem(KEYS.unit, unit);
  }

  /** The document follows the preferences: its theme (theme.css's colours) and its language. */
  apply(): void {
    document.documentElement.dataset['theme'] = this.dark ? 'dark' : 'light';
    document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
  }
}

/** The page's preferences (read from the browser by `load()` once the page is mounted). */
export const preferences = new Preferences();
