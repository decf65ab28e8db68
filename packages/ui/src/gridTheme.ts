/**
 * The dark, dense AG Grid theme every Farmhand grid uses: small rows so a wrangler sees
 * many frames at once, colors matching the page.
 */
import { colorSchemeDark, themeQuartz } from 'ag-grid-community';

export const farmGridTheme = themeQuartz.withPart(colorSchemeDark).withParams({
  backgroundColor: '#0d1117',
  foregroundColor: '#c9d1d9',
  chromeBackgroundColor: '#161b22',
  headerBackgroundColor: '#161b22',
  borderColor: '#30363d',
  accentColor: '#58a6ff',
  oddRowBackgroundColor: '#10151c',
  fontFamily: 'inherit',
  fontSize: 12,
  headerFontSize: 12,
  rowHeight: 26,
  headerHeight: 30,
  spacing: 4,
  wrapperBorderRadius: 4,
});
