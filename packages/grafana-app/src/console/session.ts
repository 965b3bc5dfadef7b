const KEY = 'betrace.apiKey';
const THEME = 'betrace.theme';

/** The API key of this browser tab (sessionStorage: gone when the tab closes). */
export const session = {
  apiKey(): string | undefined {
    return sessionStorage.getItem(KEY) ?? undefined;
  },
  setApiKey(key: string): void {
    sessionStorage.setItem(KEY, key);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
  theme(): 'dark' | 'light' {
    return localStorage.getItem(THEME) === 'light' ? 'light' : 'dark';
  },
  setTheme(mode: 'dark' | 'light'): void {
    localStorage.setItem(THEME, mode);
  },
};
