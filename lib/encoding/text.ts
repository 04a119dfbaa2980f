/** Body bytes as text; a UTF-8 byte order mark is dropped because JSON.parse rejects it. */
export function bodyText(data: Buffer): string {
  const text = data.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
