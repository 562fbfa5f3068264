import { LineCounter, parseDocument } from 'yaml';
import { error, hasErrors, sortProblems, type Position, type Problem } from '../problem.js';
import type { Checker } from './checker.js';
import type { Locate } from './data-path.js';
import { DEFAULT_PROVIDER_TIMEOUT_SECONDS, type HostConfig } from './host-config.js';
import { isRecord, type Data } from './host-data.js';
import { readAddresses } from './read-addresses.js';
import { readNetworks } from './read-networks.js';
import { readProviders } from './read-providers.js';
import { readVolumes } from './read-volumes.js';
import { schemaProblems } from './schema-problems.js';
import { yamlLocator } from './yaml-locator.js';
import { yamlProblems } from './yaml-problems.js';

export interface HostConfigResult {
  /** Present only when there is no error among the problems. */
  readonly config?: HostConfig;
  readonly problems: readonly Problem[];
}

/** The host file is user input: its text becomes a checked config or every problem, positioned; never throws. */
export function parseHostConfig(text: string, file: string): HostConfigResult {
  const lineCounter = new LineCounter();
  // logLevel 'error': yaml would print its warnings (a collection used as a key) itself, unformatted;
  // the checks below report every such problem, positioned, in berth's words.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const problems = yamlProblems(doc, at);
  if (problems.length > 0) return { problems: sortProblems(problems) };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return { problems: [error(at(0), 'host.yaml-syntax', `invalid YAML: ${message}`)] };
  }
  return checkHostValue(value ?? {}, file, yamlLocator(doc, at, file));
}

/** Parsed host-file data, checked: `locate` says where each value stands. */
export function checkHostValue(value: unknown, file: string, locate: Locate): HostConfigResult {
  if (!isRecord(value)) {
    return {
      problems: [
        error(
          locate([], 'value'),
          'host.not-a-mapping',
          'the host file must be a mapping with the keys networks, addresses, volumes, providers and/or provider-timeout',
        ),
      ],
    };
  }
  const problems = schemaProblems(value, locate);
  const config = buildConfig(value, file, locate, problems);
  const sorted = sortProblems(problems);
  return hasErrors(sorted) ? { problems: sorted } : { config, problems: sorted };
}

function buildConfig(data: Data, file: string, locate: Locate, problems: Problem[]): HostConfig {
  const checker: Checker = {
    data,
    locate,
    report: (path, code, message) => problems.push(error(locate(path, 'value'), code, message)),
  };
  const networks = readNetworks(checker);
  const timeout = data['provider-timeout'];
  return {
    file,
    networks,
    addresses: readAddresses(checker, networks),
    volumes: readVolumes(checker),
    providers: readProviders(data),
    providerTimeoutSeconds: typeof timeout === 'number' ? timeout : DEFAULT_PROVIDER_TIMEOUT_SECONDS,
  };
}
