import rule from './pip-pin-versions.ts';
import { ruleTests } from './testing.ts';

const msg = (pkg: string, name = pkg) =>
  `Package "${pkg}" is not pinned to a version: install "${name}==<version>" so that rebuilds install the same version.`;

ruleTests(rule, {
  valid: [
    'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n',
    { name: 'any version specifier', code: 'FROM python:3.12-slim\nRUN pip install "requests>=2.31" "urllib3<3" "idna~=3.7" "certifi!=2024.2.2" "uvicorn[standard]==0.30.1"\n' },
    { name: 'requirements and constraints files', code: 'FROM python:3.12-slim\nRUN pip install -r requirements.txt && pip install --constraint constraints.txt gunicorn\n' },
    { name: 'local project, paths and archives', code: 'FROM python:3.12-slim\nRUN pip install . ./libs/core /tmp/pkg-1.0-py3-none-any.whl dist/pkg-1.0.tar.gz\n' },
    { name: 'VCS URL with a ref', code: 'FROM python:3.12-slim\nRUN pip install "git+https://github.com/example/tool.git@v1.4.0#egg=tool"\n' },
    { name: 'direct reference', code: 'FROM python:3.12-slim\nRUN pip install tool @ https://example.org/tool-1.0.tar.gz\n' },
    {
      name: 'options that take values',
      code: 'FROM python:3.12-slim\nRUN pip install --index-url https://pypi.example.org/simple --target /opt/app --root-user-action ignore app==2.1\n',
    },
    { name: 'pipx with a pinned spec', code: 'FROM python:3.12-slim\nRUN pipx install --python python3.12 "poetry==1.8.3"\n' },
    { name: 'version from an ARG', code: 'FROM python:3.12-slim\nARG FLASK_VERSION=3.0.3\nRUN pip install flask==$FLASK_VERSION\n' },
    { name: 'other pip commands', code: 'FROM python:3.12-slim\nRUN pip download flask && pip uninstall -y flask\n' },
  ],
  invalid: [
    {
      code: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n',
      errors: [{ line: 2, column: 32, endLine: 2, endColumn: 37, hadolint: 'DL3013', severity: 'warning', message: msg('flask') }],
    },
    {
      name: 'python -m pip, multi-line, one finding per package',
      code: 'FROM python:3.12-slim\nRUN python3 -m pip install \\\n      flask==3.0.3 \\\n      gunicorn \\\n      "uvicorn[standard]"\n',
      errors: [
        { line: 4, column: 7, endColumn: 15, message: msg('gunicorn') },
        { line: 5, column: 7, endColumn: 26, message: msg('uvicorn[standard]') },
      ],
    },
    {
      name: 'VCS URL without a ref, editable',
      code: 'FROM python:3.12-slim\nRUN pip install -e git+https://github.com/example/tool.git#egg=tool\n',
      errors: [
        {
          line: 2,
          column: 20,
          message:
            'Package "git+https://github.com/example/tool.git#egg=tool" is not pinned to a version: add "@<tag or commit>" to the repository URL so that rebuilds install the same version.',
        },
      ],
    },
    {
      name: 'a requirements file does not pin the packages named beside it',
      code: 'FROM python:3.12-slim\nRUN pip install -r requirements.txt --upgrade pip\n',
      errors: [{ line: 2, column: 47, message: msg('pip') }],
    },
    {
      name: 'pipx, ONBUILD',
      code: 'FROM python:3.12-slim\nONBUILD RUN pipx install black\n',
      errors: [{ line: 2, column: 26, message: msg('black') }],
    },
    {
      name: 'an option written with = does not take the next word',
      code: 'FROM python:3.12-slim\nRUN pip install --root-user-action=ignore tool\n',
      errors: [{ line: 2, column: 43, message: msg('tool') }],
    },
  ],
});
