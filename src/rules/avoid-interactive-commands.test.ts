import rule from './avoid-interactive-commands.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get install -y openssh-client vim procps\n',
    { name: 'names as arguments', code: 'FROM debian:12\nRUN echo "run top or ps later" && ln -s /usr/bin/vim /usr/local/bin/editor\n' },
    { name: 'ssh-keyscan is not ssh', code: 'FROM debian:12\nRUN ssh-keyscan github.com >> /etc/ssh/ssh_known_hosts\n' },
    { name: 'looked up only', code: 'FROM debian:12\nRUN command -v ps >/dev/null || apt-get install -y procps\n' },
    { name: 'exec form', code: 'FROM debian:12\nRUN ["top", "-b", "-n1"]\n' },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN top -b -n 1\n',
      errors: [
        {
          line: 2,
          column: 5,
          endColumn: 8,
          hadolint: 'DL3001',
          severity: 'info',
          message: '"top" is an interactive process viewer: it does nothing useful in a RUN; remove it or move it to the container\'s entrypoint.',
        },
      ],
    },
    {
      name: 'service in a chain on a continuation line',
      code: 'FROM debian:12\nRUN apt-get install -y postgresql \\\n && service postgresql start\n',
      errors: [{ line: 3, column: 5, endColumn: 12, message: /^"service" starts or stops a service that does not outlive this RUN/ }],
    },
    {
      name: 'behind sudo, inside sh -c',
      code: "FROM debian:12\nRUN sh -c 'sudo mount -t tmpfs none /mnt'\n",
      errors: [{ line: 2, column: 17, endColumn: 22, message: /^"mount"/ }],
    },
    {
      name: 'extras beyond hadolint: vi, nano, ifconfig',
      code: 'FROM debian:12\nRUN ifconfig -a; vi -c wq /etc/motd; nano /etc/hosts\n',
      errors: [
        { line: 2, column: 5, message: /^"ifconfig"/ },
        { line: 2, column: 18, message: /^"vi" is an interactive editor/ },
        { line: 2, column: 38, message: /^"nano"/ },
      ],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:12\nONBUILD RUN ps aux\n',
      errors: [{ line: 2, column: 13, hadolint: 'DL3001' }],
    },
  ],
});
