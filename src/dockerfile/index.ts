export * from './model.ts';
export { parseDockerfile, joinLines, splitWords, firstLine, KEYWORDS, type ParseOptions } from './parse.ts';
export { parseArgs, type ShellCommand, type ShellWord, type ShellScript, type ShellPipeline, type ParsedArgs } from './shell.ts';
export { parseImageRef, tryParseImageRef, ImageRefError, type ImageRef } from './refs.ts';
export { expandVariables, referencedVariables } from './vars.ts';
export { SourceFile, MappedText, type Position } from './source.ts';
