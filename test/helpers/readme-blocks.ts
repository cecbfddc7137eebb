// The README's fenced code blocks, and the bash script that runs its `sh` blocks in order.
// Convention (documented in the README): ```sh blocks run against a fresh simulator; ```shell
// blocks (installing, starting servers, Docker) and every other language are shown only.

export interface CodeBlock {
  lang: string;
  /** 1-based README line of the opening fence. */
  line: number;
  text: string;
}

export function fencedBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !/^```\s*$/.test(lines[i]!)) body.push(lines[i]!);
    blocks.push({ lang: open[1]!, line: start + 1, text: body.join('\n') });
  }
  return blocks;
}

/** Marks the start of block `n` on both streams, so each block's output can be told apart. */
export const MARK = '@@readme-block ';
export const FAILED = '@@readme-failed ';

export interface ReadmeScript {
  text: string;
  /** The README line a script line came from (1-based both). */
  readmeLine(scriptLine: number): number | undefined;
}

/**
 * One bash script running the blocks in order (variables carry over, as when pasting them into one
 * terminal). `set -e` stops at the first failing command; curl fails on any HTTP error answer.
 */
export function scriptFor(blocks: CodeBlock[], baseUrl: string): ReadmeScript {
  const host = baseUrl.replace(/^https?:\/\//, '');
  const lines = [
    'set -eEo pipefail',
    // An alias, not a function, so a failure reports the README's own command and line.
    // --fail-with-body: an HTTP 4xx/5xx answer fails the block (and its body is shown).
    'shopt -s expand_aliases',
    "alias curl='curl --fail-with-body --show-error'",
    `trap 'echo "${FAILED}block=$__block script_line=$LINENO status=$? command=$BASH_COMMAND" >&2' ERR`,
  ];
  const origins = new Map<number, number>();
  blocks.forEach((block, n) => {
    lines.push(`__block=${n + 1}; echo '${MARK}${n + 1}'; echo '${MARK}${n + 1}' >&2`);
    block.text.split('\n').forEach((line, i) => {
      lines.push(line.replace(/(https?:\/\/)?localhost:12111/g, `http://${host}`));
      origins.set(lines.length, block.line + 1 + i);
    });
  });
  return { text: lines.join('\n') + '\n', readmeLine: (scriptLine) => origins.get(scriptLine) };
}

/** The output a block printed on one stream (between its mark and the next). */
export function outputOf(stream: string, n: number): string {
  const start = stream.indexOf(`${MARK}${n}\n`);
  if (start === -1) return '';
  const end = stream.indexOf(MARK, start + 1);
  return stream.slice(start + `${MARK}${n}\n`.length, end === -1 ? undefined : end);
}
