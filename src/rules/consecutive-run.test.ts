import rule from './consecutive-run.ts';
import { ruleTests } from './testing.ts';

ruleTests(rule, {
  valid: [
    'FROM debian:12\nRUN ./configure\n',
    { name: 'another instruction between', code: 'FROM debian:12\nRUN ./configure\nENV CC=clang\nRUN make\n' },
    { name: 'first RUN chains', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y make\nRUN make\n' },
    { name: 'second RUN chains', code: 'FROM debian:12\nRUN make\nRUN make test; make install\n' },
    { name: 'different mounts', code: 'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache pip install -r req.txt\nRUN pip check\n' },
    { name: 'different secrets', code: 'FROM debian:12\nRUN --mount=type=secret,id=a ./a.sh\nRUN --mount=type=secret,id=b ./b.sh\n' },
    { name: 'a new stage', code: 'FROM debian:12 AS a\nRUN make\nFROM debian:12\nRUN make\n' },
    { name: 'ONBUILD RUNs are not consolidated', code: 'FROM debian:12\nONBUILD RUN make\nONBUILD RUN make install\n' },
    { name: 'a chain that includes sh -c', code: "FROM debian:12\nRUN make\nRUN sh -c 'a && b' && c\n" },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN ./configure\nRUN make\n',
      errors: [
        {
          line: 3,
          column: 1,
          endColumn: 4,
          hadolint: 'DL3059',
          severity: 'info',
          message: 'This RUN and the one on line 2 each run a single command: merge them into one RUN (joined with &&) to save a layer.',
        },
      ],
    },
    {
      name: 'comments between',
      code: 'FROM debian:12\nRUN ./configure\n# build it\n# (takes a while)\nrun make\n',
      errors: [{ line: 5, column: 1, endColumn: 4, message: /line 2/ }],
    },
    {
      name: 'same flags',
      code: 'FROM debian:12\nRUN --network=none make\nRUN --network=none make test\n',
      errors: [{ line: 3, column: 1 }],
    },
    {
      name: 'a chained RUN, then two single ones',
      code: 'FROM debian:12\nRUN ./configure && make\nRUN make test\nRUN make install\n',
      errors: [{ line: 4, column: 1, message: /line 3/ }],
    },
    {
      name: 'wrappers and continuation lines',
      code: 'FROM debian:12\nRUN sudo make \\\n    install\nRUN ldconfig\n',
      errors: [{ line: 4, column: 1, message: /line 2/ }],
    },
    {
      name: 'three in a row',
      code: 'FROM debian:12\nRUN a\nRUN b\nRUN c\n',
      errors: [{ line: 3, column: 1 }, { line: 4, column: 1 }],
    },
  ],
});
