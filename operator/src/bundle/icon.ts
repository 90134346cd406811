// The CSV icon: a small SVG of ours (a gateway arch with three request dots), embedded as base64.
export const ICON_SVG = [
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">',
  '<rect width="64" height="64" rx="12" fill="#1f4e79"/>',
  '<path d="M14 50V30a18 18 0 0 1 36 0v20" fill="none" stroke="#ffffff" stroke-width="6" stroke-linecap="round"/>',
  '<circle cx="22" cy="42" r="3.5" fill="#f5a623"/><circle cx="32" cy="42" r="3.5" fill="#f5a623"/><circle cx="42" cy="42" r="3.5" fill="#f5a623"/>',
  '</svg>',
].join('');

export const CSV_ICON = [{ base64data: Buffer.from(ICON_SVG, 'utf8').toString('base64'), mediatype: 'image/svg+xml' }];
