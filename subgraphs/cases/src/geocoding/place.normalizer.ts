/** Letters that Unicode decomposition leaves alone but people type without diacritics anyway. */
const FOLDED_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const FOLDED_PATTERN = new RegExp(`[${Object.keys(FOLDED_LETTERS).join('')}]`, 'g');

/**
 * Canonical form of a place name for matching and cache keys: lower case, diacritics removed
 * ("Zürich" → "zurich", "Łódź" → "lodz"), every run of punctuation or whitespace collapsed
 * to one space ("Saint-Étienne" → "saint etienne"), trimmed. Returns '' for text without letters or digits.
 */
export function normalizePlaceName(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(FOLDED_PATTERN, (letter) => FOLDED_LETTERS[letter] ?? letter)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Splits a free-text location into its comma-like parts ("Central Park, New York" → two parts),
 * returned trimmed but otherwise as written; parts without letters or digits are dropped.
 * Hyphens inside names are kept together; only a dash surrounded by spaces separates parts.
 */
export function splitPlaceParts(text: string): string[] {
  return text
    .split(/[,;|\n]|\s[-–—]\s/)
    .map((part) => part.trim())
    .filter((part) => normalizePlaceName(part) !== '');
}

/** One word of a place description: its normalised form and whether it was written capitalised. */
export interface PlaceWord {
  text: string;
  capitalized: boolean;
}

/**
 * The words of `text` in order, each normalised as by `normalizePlaceName`, remembering which ones
 * began with an upper-case letter ("near the station in Graz" → only "graz" is capitalised).
 */
export function placeWords(text: string): PlaceWord[] {
  const words: PlaceWord[] = [];
  for (const raw of text.split(/[^\p{L}\p{N}\p{M}]+/u)) {
    const capitalized = /^\p{Lu}/u.test(raw);
    // Normalising can itself split a token (e.g. "½" → "1 2"); keep every resulting word.
    for (const piece of normalizePlaceName(raw).split(' ')) {
      if (piece !== '') words.push({ text: piece, capitalized });
    }
  }
  return words;
}

/**
 * All runs of `size` consecutive words of `words`, joined by single spaces, left to right.
 * Returns [] when `size` exceeds the number of words or is not positive.
 */
export function wordNgrams(words: readonly string[], size: number): string[] {
  if (size <= 0) return [];
  const grams: string[] = [];
  for (let start = 0; start + size <= words.length; start++) {
    grams.push(words.slice(start, start + size).join(' '));
  }
  return grams;
}
