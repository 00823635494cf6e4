/**
 * A tiny ICU MessageFormat subset over `Intl`: `{name}` placeholders and plural blocks,
 * `{n, plural, =0 {ningún lugar} one {# lugar} other {# lugares}}`. The plural category of
 * `n` comes from `Intl.PluralRules` for the language (so Spanish and English each get their
 * own rules), `=N` matches an exact number first, and `#` is `n` formatted for the locale.
 * Blocks may hold placeholders (`{name}`) but not other blocks.
 */
export type Vars = Record<string, string | number>;

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function rulesFor(locale: string): Intl.PluralRules {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules;
}

function numberFormatFor(locale: string): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })));
  return format;
}

// `{n, plural, <selector> {<text>} ...}`, where texts hold no braces but `{name}` placeholders.
const PLURAL_BLOCK = /\{(\w+),\s*plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const PLURAL_CASE = /(=\d+|zero|one|two|few|many|other)\s*\{((?:[^{}]|\{\w+\})*)\}/g;
const PLACEHOLDER = /\{(\w+)\}/g;

/** Chooses the plural case of `count` among `cases` (the inside of a plural block). */
function choosePlural(cases: string, count: number, locale: string): string {
  const options = new Map<string, string>();
  for (const [, selector = '', text = ''] of cases.matchAll(PLURAL_CASE)) options.set(selector, text);
  return options.get(`=${count}`) ?? options.get(rulesFor(locale).select(count)) ?? options.get('other') ?? '';
}

export function formatMessage(text: string, vars: Vars | undefined, locale: string): string {
  if (!vars) return text;
  const withPlurals = text.replace(PLURAL_BLOCK, (whole, name: string, cases: string) => {
    const count = Number(vars[name]);
    if (!Number.isFinite(count)) return whole;
    return choosePlural(cases, count, locale).replace(/#/g, numberFormatFor(locale).format(count));
  });
  return withPlurals.replace(PLACEHOLDER, (whole, name: string) => String(vars[name] ?? whole));
}
