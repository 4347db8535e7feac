import { stripVTControlCharacters } from 'node:util';

/**
 * What `elasticity run` shows of Nx's own output. Nx streams each running
 * stage's lines as they come and collapses a cached stage to one line
 * ("✔  nx run NAME:STAGE  [local cache]"; see run-nx.ts); this filter drops
 * the decoration around them (banners, the echoed command, blank lines, the
 * performance report, Nx Cloud advice) and keeps one summary line: Nx's "read the output from the
 * cache … for A out of B tasks" when there were cache hits, else its
 * "Successfully ran …". A failure keeps Nx's lines naming the failed tasks.
 * `elasticity run --verbose` shows Nx's output unfiltered.
 */
export class NxOutputFilter {
  private success: string | undefined;
  private cacheSummary = false;
  private inBanner = false;
  private inIndented = false;

  /** The line to show for one line of Nx's output (without its newline), or undefined to drop it. One filter per stream. */
  line(raw: string): string | undefined {
    const shown = raw.replace(/\r+$/, '');
    const plain = stripVTControlCharacters(shown);
    const text = plain.trim();
    if (this.inBanner) {
      // The banner "NX   Running target T for N projects:" lists the projects ("- NAME") after it.
      if (text === '' || /^- \S+$/.test(text)) return undefined;
      this.inBanner = false;
    }
    if (this.inIndented) {
      // Indented lines after a heading: the performance report, the flaky task list.
      if (text === '' || /^\s/.test(plain)) return undefined;
      this.inIndented = false;
    }
    if (text === '') return undefined;
    if (/^Run duration:/.test(text) || /^NX\s+Nx detected a flaky task/.test(text)) {
      this.inIndented = true;
      return undefined;
    }
    if (/^NX\s+Running targets? .*:$/.test(text)) {
      this.inBanner = true;
      return undefined;
    }
    if (/^NX\s+Successfully ran targets? /.test(text)) {
      this.success = shown;
      return undefined;
    }
    if (/^Nx read the output from the cache/.test(text)) this.cacheSummary = true;
    return DROPPED.some((pattern) => pattern.test(text)) ? undefined : shown;
  }

  /** The lines held back until Nx has ended. */
  end(): string[] {
    return this.success !== undefined && !this.cacheSummary ? [this.success] : [];
  }
}

/** Nx's decoration (on the trimmed text without colours). */
const DROPPED = [
  /^> (?!nx run )/, // the command a task runs, echoed under its "> nx run PROJECT:TARGET"
  /^Output of \d+ .* not shown\./,
  /^[—–-]{3,}$/,
  /^Warning: command ".*" exited with non-zero status code$/, // after the stage's own error line
  /^Hint: run the command with /,
  /Nx Cloud/, // an advertisement (e.g. after "Nx detected a flaky task")
];

/**
 * Splits a stream into lines for a filter and writes what it keeps to `out`.
 * Returns a function to call when the stream has ended (it writes a last
 * unterminated line).
 */
export function pipeLines(stream: NodeJS.ReadableStream, keep: (line: string) => string | undefined, out: NodeJS.WritableStream): () => void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const kept = keep(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      if (kept !== undefined) out.write(kept + '\n');
    }
  });
  return () => {
    const kept = pending === '' ? undefined : keep(pending);
    pending = '';
    if (kept !== undefined) out.write(kept + '\n');
  };
}
