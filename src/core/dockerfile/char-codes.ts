/** The characters the splitter looks for, by name. All but the BOM are ASCII: the same code as a byte and as a UTF-16 unit. */
export const TAB = 0x09;
export const LINE_FEED = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const DOUBLE_QUOTE = 0x22;
export const HASH = 0x23;
export const DOLLAR = 0x24;
export const PERCENT = 0x25;
export const SINGLE_QUOTE = 0x27;
export const DASH = 0x2d;
export const SLASH = 0x2f;
export const COLON = 0x3a;
export const LESS = 0x3c;
export const OPEN_BRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const CLOSE_BRACKET = 0x5d;
export const UNDERSCORE = 0x5f;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
/** U+FEFF, as the shell lexer meets it in decoded text. */
export const BOM = 0xfeff;
