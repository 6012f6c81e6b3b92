// `gatehouse check --config PATH`: load and validate a configuration exactly as the gateway would
// and print what it would serve, without opening a socket — for CI and before a reload.
import { ConfigError } from '../config/config-error.ts';
import { describeModel } from '../config/describe-model.ts';
import { loadConfig } from '../config/load-config.ts';
import { runExplain } from './check-explain.ts';
import { writeConfigProblems } from './config-problems.ts';
import { parseCommandArgs, requireOption } from './parse-command-args.ts';

const CHECK_HELP = `Usage: gatehouse check --config PATH
       gatehouse check --config PATH --explain 'METHOD URL' [--claims JSON] [--header 'name: value']... [--source-ip IP]

Validate a configuration (a YAML file or a directory of YAML files) and print what the
gateway would serve: listeners, routes, backends, JWT providers and policies.

With --explain, print instead what the gateway would decide for one request, without starting
it: the route, the authorization decision, the policy and rule that made it, the AUDIT policies
that matched, and the status the client would get. --claims are the payload of a token the
gateway verified (its issuer is the claims' iss); without --claims the request has no token.

Exit status: 0 when valid (with --explain: the request would be allowed); 1 when invalid, with
every problem on stderr as
  file: document N (Kind/name): field.path: message
(N counts YAML documents within the file from 0); 2 on a usage error; 3 with --explain when
the request would be refused (401, 403, 404, 400).

Options:
  --config PATH         YAML file or directory (required)
  --explain 'M URL'     dry-run one request, e.g. 'GET https://api.example.com/users/1'
  --claims JSON         claims of the request's verified token, e.g. '{"iss":"…","sub":"alice"}'
  --header 'N: V'       a request header (repeatable)
  --source-ip IP        the client address (source.ip, remote.ip); default 127.0.0.1
  -h, --help            show this help
`;

export async function runCheck(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    command: 'check',
    help: CHECK_HELP,
    options: {
      config: { type: 'string' },
      explain: { type: 'string' },
      claims: { type: 'string' },
      header: { type: 'string', multiple: true },
      'source-ip': { type: 'string' },
    },
  });
  if (!parsed) return 0;
  const { values } = parsed;
  const configPath = requireOption('check', values.config, 'config');
  try {
    const model = await loadConfig(configPath);
    if (values.explain !== undefined) {
      return await runExplain(model, { explain: values.explain, claims: values.claims, headers: values.header, sourceIp: values['source-ip'] });
    }
    process.stdout.write(`${describeModel(model).trimEnd()}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    writeConfigProblems(error);
    return 1;
  }
}
