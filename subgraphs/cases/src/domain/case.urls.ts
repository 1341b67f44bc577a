/** Absolute public URLs of a case, all on the public origin (the router). */
export interface CaseUrls {
  /** The web page of the case, encoded in the poster's QR code. */
  page: string;
  /** The printable PDF poster. */
  poster: string;
  /** The child's photo, when there is one. */
  photo: string | null;
}

/** Builds a case's public URLs on `origin` (e.g. http://localhost:4000). */
export function casePublicUrls(origin: string, c: { id: string; reportId: string; photoKey: string | null }): CaseUrls {
  return {
    page: `${origin}/cases/${encodeURIComponent(c.reportId)}`,
    poster: `${origin}/media/cases/${c.id}/poster.pdf`,
    photo: c.photoKey ? `${origin}/media/photos/${encodeURIComponent(c.photoKey)}` : null,
  };
}
