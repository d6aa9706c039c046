/** Offer a Blob to the user as a file download. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a cell or notebook name: keeps letters (Chinese too), digits, - and _. */
export function fileName(name: string, ext: string): string {
  const base = name.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '') || 'result';
  return `${base}.${ext}`;
}
