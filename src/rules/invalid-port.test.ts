import rule from './invalid-port.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM nginx:1.27\nEXPOSE 80 443/tcp 53/udp 9/sctp 0 65535\n',
    'FROM nginx:1.27\nEXPOSE 8000-8010 9000-9001/UDP\n',
    { name: 'unknown variable', code: 'FROM nginx:1.27\nEXPOSE ${PORT}\n' },
    { name: 'unknown variable in a range', code: 'FROM nginx:1.27\nEXPOSE 8000-${LAST}/tcp\n' },
    { name: 'known variable with a valid port', code: 'FROM nginx:1.27\nARG PORT=8080\nEXPOSE $PORT\n' },
    { name: 'quoted port', code: 'FROM nginx:1.27\nEXPOSE "8080"\n' },
    { name: 'continuation', code: 'FROM nginx:1.27\nEXPOSE 80 \\\n    443\n' },
  ],
  invalid: [
    {
      name: 'out of range',
      code: 'FROM nginx:1.27\nEXPOSE 80 80443\n',
      errors: [{ line: 2, column: 11, endColumn: 16, hadolint: 'DL3011', severity: 'error', message: 'EXPOSE "80443": port 80443 is out of range; ports go from 0 to 65535.' }],
    },
    {
      name: 'the bad end of a range, with protocol',
      code: 'FROM nginx:1.27\nEXPOSE 40000-70000/tcp\n',
      errors: [{ line: 2, column: 14, endColumn: 19, message: 'EXPOSE "40000-70000/tcp": port 70000 is out of range; ports go from 0 to 65535.' }],
    },
    {
      name: 'through a known variable: the whole word',
      code: 'FROM nginx:1.27\nARG PORT=99999\nEXPOSE $PORT\n',
      errors: [{ line: 3, column: 8, endColumn: 13, message: 'EXPOSE "99999" (from "$PORT"): port 99999 is out of range; ports go from 0 to 65535.' }],
    },
    {
      name: 'quoted: the number inside the quotes',
      code: 'FROM nginx:1.27\nEXPOSE "70000"\n',
      errors: [{ line: 2, column: 9, endColumn: 14 }],
    },
    {
      name: 'protocol, name, reversed range, empty part, on a continued line',
      code: 'FROM nginx:1.27\nEXPOSE 80/icmp \\\n    http 9000-8000 5-\n',
      errors: [
        { line: 2, column: 11, endColumn: 15, message: 'EXPOSE "80/icmp": "icmp" is not a protocol; use tcp, udp or sctp.' },
        { line: 3, column: 5, endColumn: 9, message: 'EXPOSE "http": "http" is not a port number; ports are numbers from 0 to 65535.' },
        { line: 3, column: 10, endColumn: 19, message: 'EXPOSE "9000-8000": the range ends before it starts; write 8000-9000.' },
        { line: 3, column: 20, endColumn: 22, message: 'EXPOSE "5-": an empty port; ports are numbers from 0 to 65535.' },
      ],
    },
    {
      name: 'host mapping is a warning; ONBUILD EXPOSE is judged',
      code: 'FROM nginx:1.27\nEXPOSE 8080:80\nONBUILD EXPOSE 123456\n',
      errors: [
        {
          line: 2,
          column: 8,
          endColumn: 13,
          severity: 'warning',
          message: 'EXPOSE "8080:80" names a host address or port, which EXPOSE ignores: it only documents container ports; publish with `docker run -p 8080:80` instead.',
        },
        { line: 3, column: 16, endColumn: 22, severity: 'error', message: /port 123456 is out of range/ },
      ],
    },
  ],
});
