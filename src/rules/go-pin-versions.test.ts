import rule from './go-pin-versions.ts';
import { ruleTests } from './testing.ts';

const msg = (pkg: string, name = pkg) =>
  `Package "${pkg}" is not pinned to a version: write "${name}@v<version>" so that rebuilds install the same version.`;

ruleTests(rule, {
  valid: [
    'FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@v0.15.3\n',
    { name: 'local packages and files', code: 'FROM golang:1.22\nRUN go install ./cmd/server && go run . && go run main.go && go install /src/tool\n' },
    { name: 'flags with values', code: 'FROM golang:1.22\nRUN go install -tags netgo -ldflags "-s -w" example.com/tool@v1.2.0\n' },
    { name: 'go run: the program arguments are not packages', code: 'FROM golang:1.22\nRUN go run example.com/gen@v0.3.1 -out api.go schema\n' },
    { name: 'go get with a commit', code: 'FROM golang:1.22\nRUN go get example.com/lib@4f2a1c9\n' },
    { name: 'version from an ARG', code: 'FROM golang:1.22\nARG LINT_VERSION=v1.59.1\nRUN go install github.com/golangci/golangci-lint/cmd/golangci-lint@${LINT_VERSION}\n' },
    { name: 'go build is not judged', code: 'FROM golang:1.22\nRUN go build -o /out/app ./...\n' },
  ],
  invalid: [
    {
      code: 'FROM golang:1.22\nRUN go install golang.org/x/tools/gopls\n',
      errors: [{ line: 2, column: 16, endLine: 2, endColumn: 40, hadolint: 'DL3062', severity: 'warning', message: msg('golang.org/x/tools/gopls') }],
    },
    {
      name: '@latest is not a pin',
      code: 'FROM golang:1.22\nRUN go install \\\n    github.com/go-delve/delve/cmd/dlv@latest\n',
      errors: [{ line: 3, column: 5, endColumn: 45, message: msg('github.com/go-delve/delve/cmd/dlv@latest', 'github.com/go-delve/delve/cmd/dlv') }],
    },
    {
      name: 'go get -tool, go run',
      code: 'FROM golang:1.22\nRUN go get -tool example.com/gen && go run example.com/other -v\n',
      errors: [
        { line: 2, column: 18, message: msg('example.com/gen') },
        { line: 2, column: 44, message: msg('example.com/other') },
      ],
    },
    {
      name: 'ONBUILD',
      code: 'FROM golang:1.22\nONBUILD RUN go install example.com/tool@upgrade\n',
      errors: [{ line: 2, column: 24 }],
    },
  ],
});
