/**
 * The AG Grid themes every Farmhand grid uses: small rows so a wrangler sees many frames at
 * once, colors matching the page. Dark is the default; light for bright rooms.
 */
import { colorSchemeDark, colorSchemeLight, themeQuartz } from 'ag-grid-community';

const dense = {
  fontFamily: 'inherit',
  fontSize: 12,
  headerFontSize: 12,
  rowHeight: 26,
  headerHeight: 30,
  spacing: 4,
  wrapperBorderRadius: 4,
};

export const farmGridTheme = themeQuartz.withPart(colorSchemeDark).withParams({
  backgroundColor: '#0d1117',
  foregroundColor: '#c9d1d9',
  chromeBackgroundColor: '#161b22',
  headerBackgroundColor: '#161b22',
  borderColor: '#30363d',
  accentColor: '#58a6ff',
  oddRowBackgroundColor: '#10151c',
  ...dense,
});

export const farmGridLightTheme = themeQuartz.withPart(colorSchemeLight).withParams({
  backgroundColor: '#ffffff',
  foregroundColor: '#1f2328',
  chromeBackgroundColor: '#f6f8fa',
  headerBackgroundColor: '#f6f8fa',
  borderColor: '#d0d7de',
  accentColor: '#0969da',
  oddRowBackgroundColor: '#f9fafb',
  ...dense,
});
