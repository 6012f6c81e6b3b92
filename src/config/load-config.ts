// The entry point the gateway runtime and the CLI call: a YAML file or a directory of them → a
// validated GatewayModel, or a ConfigError listing every problem.
import type { GatewayModel } from '../model/gateway-model.ts';
import { buildModel } from './build-model.ts';
import { ConfigError } from './config-error.ts';
import { Problems } from './problems.ts';
import { listConfigFiles, type RawDocument, readDocuments } from './read-documents.ts';

export function loadConfig(path: string): GatewayModel {
  let files: string[];
  try {
    files = listConfigFiles(path);
  } catch (error) {
    throw new ConfigError([{ file: path, documentIndex: 0, path: '', message: `cannot read the config: ${(error as Error).message}` }]);
  }
  if (files.length === 0) {
    throw new ConfigError([{ file: path, documentIndex: 0, path: '', message: 'the directory holds no *.yaml or *.yml file' }]);
  }
  const problems = new Problems();
  const documents: RawDocument[] = [];
  for (const file of files) {
    try {
      documents.push(...readDocuments(file, problems));
    } catch (error) {
      problems.add({ file, documentIndex: 0, path: '', message: `cannot read the file: ${(error as Error).message}` });
    }
  }
  return buildModel(documents, problems);
}
