import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { MediaError } from './media.errors';
import { fitText, toWinAnsi } from './poster-text.helpers';

/** What a missing-child poster shows. */
export interface PosterInput {
  childName: string;
  /** Age in years; null/undefined prints "Unknown". */
  age?: number | null;
  gender?: string | null;
  lastSeenAt: Date;
  lastSeenPlace: string;
  description?: string | null;
  contactPhone: string;
  /** The case's id, printed so callers can quote it. */
  reportId: string;
  /** Public page of the case; encoded in the QR code and printed under it. */
  publicUrl: string;
  /** The child's photo (JPEG or any format sharp reads); a placeholder box is drawn when absent. */
  photo?: Buffer | null;
}

/** Presentation options of {@link renderPoster}. */
export interface PosterOptions {
  /** IANA zone the last-seen time is printed in. Default 'UTC'. */
  timeZone?: string;
  /** BCP 47 locale for the date. Default 'en-GB'. */
  locale?: string;
  /**
   * TrueType/OpenType fonts (path or bytes) for non-Latin names. Without them the built-in
   * Helvetica is used and characters it cannot draw become "?".
   */
  fonts?: { regular: string | Buffer; bold: string | Buffer };
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 36;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const RED = '#c8102e';
const INK = '#111111';
const MUTED = '#555555';
const PHOTO_BOX = { x: MARGIN, y: 182, width: 230, height: 290 };
const DETAILS_X = PHOTO_BOX.x + PHOTO_BOX.width + 22;
const DETAILS_WIDTH = PAGE.width - MARGIN - DETAILS_X;
const QR_SIZE = 150;
const FOOTER_Y = 640;

/**
 * Renders a one-page A4 PDF poster for a missing child: red "MISSING" banner, photo (or a
 * placeholder), name, age, gender, last-seen time and place, description, contact phone, report
 * id and a vector QR code of `publicUrl` (150 pt wide, error correction M, quiet zone kept).
 * Every text block has a fixed box; text that does not fit is cut with "…", so the result is
 * always exactly one page.
 *
 * @throws MediaError INVALID_IMAGE when `photo` is given but cannot be decoded.
 * @throws Error when `publicUrl` is empty or `lastSeenAt` is not a valid date.
 */
export async function renderPoster(input: PosterInput, options: PosterOptions = {}): Promise<Buffer> {
  if (!input.publicUrl?.trim()) throw new Error('renderPoster: publicUrl is required for the QR code.');
  if (!(input.lastSeenAt instanceof Date) || Number.isNaN(input.lastSeenAt.getTime())) {
    throw new Error('renderPoster: lastSeenAt must be a valid Date.');
  }
  const photo = input.photo ? await preparePhoto(input.photo) : null;
  const qr = QRCode.create(input.publicUrl, { errorCorrectionLevel: 'M' });

  // Margins smaller than the layout's so pdfkit never decides on its own that a page is full.
  const doc = new PDFDocument({ size: 'A4', margin: 12, autoFirstPage: true, compress: true });
  const fonts = setUpFonts(doc, options.fonts);
  const text = (value: string): string => (options.fonts ? value : toWinAnsi(value));
  doc.info.Title = `MISSING: ${text(input.childName)}`;
  doc.info.Subject = `Missing child poster, report ${input.reportId}`;

  const done = collect(doc);

  // Banner.
  doc.rect(0, 0, PAGE.width, 150).fill(RED);
  doc.fillColor('#ffffff').font(fonts.bold);
  // Fonts differ in width and line height: shrink the word until it fits the banner.
  let bannerSize = 96;
  while (
    bannerSize > 40 &&
    (doc.fontSize(bannerSize).widthOfString('MISSING') > CONTENT_WIDTH - 30 || doc.currentLineHeight() > 100)
  ) {
    bannerSize -= 2;
  }
  doc.text('MISSING', MARGIN, 20 + (100 - doc.currentLineHeight()) / 2, {
    width: CONTENT_WIDTH,
    align: 'center',
    lineBreak: false,
  });
  doc
    .fontSize(18)
    .text('HAVE YOU SEEN THIS CHILD?', MARGIN, 122, { width: CONTENT_WIDTH, align: 'center', lineBreak: false });

  drawPhoto(doc, fonts, photo);

  // Details column beside the photo.
  let y = PHOTO_BOX.y;
  doc.fillColor(INK).font(fonts.bold).fontSize(26);
  const name = fitText(doc, text(input.childName), DETAILS_WIDTH, 96);
  doc.text(name, DETAILS_X, y, { width: DETAILS_WIDTH });
  y += doc.heightOfString(name, { width: DETAILS_WIDTH }) + 14;

  const timeZone = options.timeZone ?? 'UTC';
  const when = new Intl.DateTimeFormat(options.locale ?? 'en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone,
  }).format(input.lastSeenAt);
  const fields: Array<[string, string, number]> = [
    ['AGE', input.age == null ? 'Unknown' : `${input.age} ${input.age === 1 ? 'year' : 'years'}`, 18],
    ['GENDER', input.gender?.trim() ? input.gender : 'Not specified', 18],
    ['LAST SEEN', `${when} (${timeZone})`, 36],
    ['LAST SEEN AT', input.lastSeenPlace, 54],
  ];
  for (const [label, value, maxHeight] of fields) {
    const room = Math.min(maxHeight, PHOTO_BOX.y + PHOTO_BOX.height - y - 14);
    if (room < 14) break;
    doc
      .fillColor(MUTED)
      .font(fonts.bold)
      .fontSize(10)
      .text(label, DETAILS_X, y, { width: DETAILS_WIDTH, lineBreak: false });
    y += 13;
    doc.fillColor(INK).font(fonts.regular).fontSize(14);
    const fitted = fitText(doc, text(value), DETAILS_WIDTH, room);
    doc.text(fitted, DETAILS_X, y, { width: DETAILS_WIDTH });
    y += doc.heightOfString(fitted, { width: DETAILS_WIDTH }) + 10;
  }

  // Description across the page.
  const descriptionY = PHOTO_BOX.y + PHOTO_BOX.height + 18;
  doc.fillColor(MUTED).font(fonts.bold).fontSize(11).text('DESCRIPTION', MARGIN, descriptionY, { lineBreak: false });
  doc.fillColor(INK).font(fonts.regular).fontSize(12);
  const descriptionHeight = FOOTER_Y - 14 - (descriptionY + 16);
  const description = input.description?.trim() ? text(input.description) : 'No description provided.';
  doc.text(fitText(doc, description, CONTENT_WIDTH, descriptionHeight, 2), MARGIN, descriptionY + 16, {
    width: CONTENT_WIDTH,
    lineGap: 2,
  });

  drawFooter(doc, fonts, input, text, qr);
  doc.end();
  return done;
}

type Fonts = { regular: string; bold: string };

function setUpFonts(doc: PDFKit.PDFDocument, custom: PosterOptions['fonts']): Fonts {
  if (!custom) return { regular: 'Helvetica', bold: 'Helvetica-Bold' };
  doc.registerFont('PosterRegular', custom.regular as string);
  doc.registerFont('PosterBold', custom.bold as string);
  return { regular: 'PosterRegular', bold: 'PosterBold' };
}

async function preparePhoto(photo: Buffer): Promise<Buffer> {
  try {
    // Re-encode at ~2.5× the box size: upright, sRGB JPEG that pdfkit embeds as-is.
    return await sharp(photo, { failOn: 'error', pages: 1 })
      .autoOrient()
      .resize({ width: 575, height: 725, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: 85 })
      .toBuffer();
  } catch (error) {
    throw new MediaError('INVALID_IMAGE', 'The photo for the poster could not be decoded.', { cause: error });
  }
}

function drawPhoto(doc: PDFKit.PDFDocument, fonts: Fonts, photo: Buffer | null): void {
  const { x, y, width, height } = PHOTO_BOX;
  if (photo) {
    doc.image(photo, x, y, { fit: [width, height], align: 'center', valign: 'center' });
    doc.lineWidth(1).strokeColor('#999999').rect(x, y, width, height).stroke();
    return;
  }
  doc.rect(x, y, width, height).fill('#eeeeee');
  doc.lineWidth(2).strokeColor('#999999').dash(6, { space: 4 }).rect(x, y, width, height).stroke().undash();
  doc.fillColor(MUTED).font(fonts.bold).fontSize(16);
  doc.text('NO PHOTO', x, y + height / 2 - 20, { width, align: 'center', lineBreak: false });
  doc.text('AVAILABLE', x, y + height / 2, { width, align: 'center', lineBreak: false });
}

function drawFooter(
  doc: PDFKit.PDFDocument,
  fonts: Fonts,
  input: PosterInput,
  text: (value: string) => string,
  qr: QRCode.QRCode,
): void {
  const qrX = PAGE.width - MARGIN - QR_SIZE;
  const boxWidth = qrX - MARGIN - 16;
  const boxHeight = PAGE.height - MARGIN - FOOTER_Y;
  doc.rect(MARGIN, FOOTER_Y, boxWidth, boxHeight).fill('#fdecee');
  doc.rect(MARGIN, FOOTER_Y, 6, boxHeight).fill(RED);

  const inner = MARGIN + 18;
  const innerWidth = boxWidth - 30;
  doc.fillColor(INK).font(fonts.bold).fontSize(12);
  doc.text('IF YOU HAVE ANY INFORMATION, CALL', inner, FOOTER_Y + 14, { width: innerWidth, lineBreak: false });

  const phone = text(input.contactPhone);
  doc.fillColor(RED).font(fonts.bold);
  // Largest size up to 30 pt at which the number stays on one line.
  let size = 30;
  while (size > 12 && doc.fontSize(size).widthOfString(phone) > innerWidth) size -= 1;
  doc.fontSize(size).text(fitText(doc, phone, innerWidth, size * 1.25), inner, FOOTER_Y + 34, { width: innerWidth });

  doc.fillColor(INK).font(fonts.regular).fontSize(11);
  doc.text('or scan the code for the latest information:', inner, FOOTER_Y + 80, {
    width: innerWidth,
    lineBreak: false,
  });
  doc.fillColor(MUTED).fontSize(9);
  doc.text(fitText(doc, input.publicUrl, innerWidth, 24), inner, FOOTER_Y + 96, { width: innerWidth });
  doc.fillColor(MUTED).font(fonts.bold).fontSize(9);
  doc.text(fitText(doc, `Report ID: ${text(input.reportId)}`, innerWidth, 12), inner, FOOTER_Y + 126, {
    width: innerWidth,
    lineBreak: false,
  });
  doc.font(fonts.regular).fontSize(8);
  doc.text('In an emergency call your local emergency number.', inner, FOOTER_Y + 142, {
    width: innerWidth,
    lineBreak: false,
  });

  drawQr(doc, qr, qrX, FOOTER_Y + (boxHeight - QR_SIZE) / 2, QR_SIZE);
}

/** Draws the QR as filled rectangles (one per horizontal run of dark modules) on white. */
function drawQr(doc: PDFKit.PDFDocument, qr: QRCode.QRCode, x: number, y: number, size: number): void {
  const quietZone = 4;
  const count = qr.modules.size;
  const cell = size / (count + 2 * quietZone);
  doc.rect(x, y, size, size).fill('#ffffff');
  const origin = quietZone * cell;
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && qr.modules.get(row, col)) col++;
      // A hair of overlap so anti-aliased rasterizers leave no seams between modules.
      doc.rect(x + origin + start * cell, y + origin + row * cell, (col - start) * cell + 0.05, cell + 0.05);
    }
  }
  doc.fill('#000000');
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
