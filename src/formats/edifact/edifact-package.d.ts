/** The part of the `edifact` package (node-edifact 1.2.12, CommonJS, untyped) the gateway uses. */
declare module 'edifact' {
  /** SAX-style push parser of UN/EDIFACT text (parser.js). */
  export class Parser {
    constructor(validator?: unknown, config?: Record<string, number>);
    write(chunk: string): void;
    end(): void;
    state: number;
    onopensegment: (tag: string) => void;
    onelement: () => void;
    oncomponent: (value: string) => void;
    onclosesegment: () => void;
    /** Internals the wrapper sets directly (delimiter char codes, the data regex). */
    _configuration: { CDS: number; DES: number; DM: number; RC: number; ST: number; level: string };
    _tokenizer: { buffer: string; offset: number; reset(): void; _regex: RegExp; _regexes: Record<string, RegExp> };
    /** Character set level (UNOA, UNOB, UNOC, UNOY...). */
    encoding(level: string): void;
    static states: Record<string, number>;
  }
  const pkg: { Parser: typeof Parser };
  export default pkg;
}
