/** Reading preferences kept on this device only. */

export type Theme = 'system' | 'light' | 'dark';
export const THEMES: Theme[] = ['system', 'light', 'dark'];
export const FONT_SIZES = ['s', 'm', 'l', 'xl'] as const;
export type FontSize = (typeof FONT_SIZES)[number];
/**
 * Article images live on the outlets' servers: `click` requests one only when the reader asks for it
 * (a request tells the network what is being read, and costs data); `auto` loads them as the page is read.
 */
export const IMAGE_MODES = ['click', 'auto'] as const;
export type ImageMode = (typeof IMAGE_MODES)[number];

const THEME_KEY = 'reader.theme';
const FONT_KEY = 'reader.fontSize';
const IMAGES_KEY = 'reader.images';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage can be disabled; the defaults still work
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not remembered, but applied for this visit
  }
}

export function storedTheme(): Theme {
  const value = read(THEME_KEY);
  return THEMES.includes(value as Theme) ? (value as Theme) : 'system';
}

export function storedFontSize(): FontSize {
  const value = read(FONT_KEY);
  return FONT_SIZES.includes(value as FontSize) ? (value as FontSize) : 'm';
}

export function storedImageMode(): ImageMode {
  const value = read(IMAGES_KEY);
  return IMAGE_MODES.includes(value as ImageMode) ? (value as ImageMode) : 'click';
}

/** Applies preferences to <html>; CSS does the rest (for images: whether the timeline shows thumbnails). */
export function applyPrefs(theme: Theme, fontSize: FontSize, images: ImageMode = storedImageMode()): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
  root.dataset.fontSize = fontSize;
  root.dataset.images = images;
}

export function saveTheme(theme: Theme): void {
  write(THEME_KEY, theme);
}

export function saveFontSize(size: FontSize): void {
  write(FONT_KEY, size);
}

export function saveImageMode(mode: ImageMode): void {
  write(IMAGES_KEY, mode);
}
