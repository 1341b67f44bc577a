/** What the router tells the page (`/dashboard/config.json`): the map's tile source. */
export interface PageConfig {
  tileUrl: string;
  tileAttribution: string;
}

/** OpenStreetMap's tiles, used when the router's config cannot be read. */
export const DEFAULT_CONFIG: PageConfig = {
  tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  tileAttribution: '&copy; OpenStreetMap contributors',
};

/** Reads the page config next to the page; the defaults when it is missing or malformed. */
export async function loadPageConfig(): Promise<PageConfig> {
  try {
    const res = await fetch('./config.json', { headers: { accept: 'application/json' } });
    const body = (await res.json()) as Partial<PageConfig>;
    return {
      tileUrl: typeof body.tileUrl === 'string' && body.tileUrl ? body.tileUrl : DEFAULT_CONFIG.tileUrl,
      tileAttribution: typeof body.tileAttribution === 'string' ? body.tileAttribution : DEFAULT_CONFIG.tileAttribution,
    };
  } catch {
    return DEFAULT_CONFIG;
  }
}
