// berth as a library: the pure core (Dockerfile → needs → labels; labels + host file → plan)
// and the error type. The command line lives in ./cli.

export { splitDockerfile } from './core/dockerfile/split.js';
export type { Heredoc, Instruction, Segment, SourceLine, SplitResult } from './core/dockerfile/instruction.js';
export { analyseDockerfile, STATEMENT_KEYWORDS } from './core/dockerfile/analyse.js';
export type { Analysis, AnalyseOptions, Statement } from './core/dockerfile/analyse.js';
export type { Stage } from './core/dockerfile/stages.js';
export type { ByteString } from './core/dockerfile/go-strings.js';
export { stripStatements } from './core/dockerfile/preprocess.js';

export type { AddressNeed, AddressRef, Need, NeedKindName, NetworkNeed, Origin, VolumeNeed } from './core/needs/need.js';
export { needId, needName } from './core/needs/need.js';
export { formatNeed, KIND_NAMES, needKind, NEED_KINDS } from './core/needs/kinds/index.js';
export type { KindParse, NeedKind } from './core/needs/kind.js';
export { parseIp } from './core/ip.js';
export type { IpLiteral } from './core/ip.js';

export {
  decodeLabels,
  encodeLabels,
  LABEL_PREFIX,
  NEED_LABEL_PREFIX,
  ORIGIN_LABEL_PREFIX,
  SCHEMA_LABEL,
  SCHEMA_VERSION,
} from './core/labels.js';
export type { DecodedLabels, LabelProblem } from './core/labels.js';

export { parseHostConfig } from './core/host/parse-host-config.js';
export type { HostConfigResult } from './core/host/parse-host-config.js';
export type { HostAddress, HostConfig, HostNetwork, HostVolume } from './core/host/host-config.js';
export { hostSchema } from './core/host/host-schema.js';

export { resolveNeeds } from './core/plan/resolve.js';
export type { ResolveInput } from './core/plan/resolve.js';
export type { WorldState } from './core/plan/world-state.js';
export type { Attachment, MountPlan, Resolution, RunPlan, Unmet } from './core/plan/resolution.js';
export { mountValue, startCommands } from './core/plan/docker-argv.js';
export { parseBuildArgs } from './core/docker-cli/parse-build-args.js';
export { parseRunArgs } from './core/docker-cli/parse-run-args.js';

export { placeImages } from './core/export/placement.js';
export type { ExportImage, Miss, Placement, Placements } from './core/export/placement.js';
export { EXPORT_FORMATS, exportFormat } from './core/export/formats.js';
export type { ExportFormat, ExportInput, ExportOptions, Rendered } from './core/export/format.js';
export type { ExportNode, NodeOffer, NodeResource, PortablePart } from './core/export/offer.js';
export { decodeName, encodeName } from './core/export/kubernetes/names.js';

export { formatProblems } from './core/problem.js';
export type { Position, Problem, Severity } from './core/problem.js';
export { BerthError, EXIT_CANNOT_START, EXIT_FAILURE } from './core/errors.js';
export { VERSION } from './version.js';
