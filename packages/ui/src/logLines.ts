/**
 * A log's text as lines, grown as the text grows: only the appended part is split, so a live
 * log of a million lines costs per new chunk, not per line already seen. The last line may be
 * partial (no newline yet) and is re-read when more arrives.
 */
export class LogLines {
  private text = '';
  readonly lines: string[] = [];
  /** Bumped on every change, so React can tell the lines changed (the array is kept). */
  version = 0;

  /** Takes the viewer's whole text. Append-only growth is split incrementally; anything else starts over. */
  update(text: string): boolean {
    if (text === this.text) return false;
    const grew =
      text.length > this.text.length &&
      this.text.length > 0 &&
      text.startsWith(this.text.slice(-256), this.text.length - Math.min(256, this.text.length));
    if (grew) {
      // Re-read from the start of the last (possibly partial) line.
      const partial = this.lines.pop() ?? '';
      const tail = partial + text.slice(this.text.length);
      for (const l of tail.split('\n')) this.lines.push(l);
    } else {
      this.lines.length = 0;
      for (const l of text.split('\n')) this.lines.push(l);
    }
    // A log ending with a newline has no empty line after it worth showing.
    this.text = text;
    this.version++;
    return true;
  }

  /** Lines to show: a trailing empty line (the text ended with a newline) is not one. */
  get count(): number {
    const n = this.lines.length;
    return n > 0 && this.lines[n - 1] === '' ? n - 1 : n;
  }
}
