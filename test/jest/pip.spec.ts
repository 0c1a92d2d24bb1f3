/** The pip-cell parser: every syntax a notebook uses, and never a throw. */
import { parseCell } from '../../src/engine/pip/parse';

function only(cell: string) {
  const plan = parseCell(cell);
  expect(plan.commands).toHaveLength(1);
  return plan.commands[0];
}

function names(cell: string) {
  return parseCell(cell).commands.map(c =>
    c.requirements.map(r => `${r.name}${r.specifier}`)
  );
}

describe('recognising install commands', () => {
  it.each([
    ['!pip install tensorflow==2.15.1', 'pip', '!'],
    ['%pip install tensorflow==2.15.1', 'pip', '%'],
    ['pip install tensorflow==2.15.1', 'pip', ''],
    ['!pip3 install tensorflow==2.15.1', 'pip', '!'],
    ['!python -m pip install tensorflow==2.15.1', 'pip', '!'],
    ['!python3.11 -m pip install tensorflow==2.15.1', 'pip', '!'],
    ['!/usr/bin/python3 -m pip install tensorflow==2.15.1', 'pip', '!'],
    ['!{sys.executable} -m pip install tensorflow==2.15.1', 'pip', '!'],
    ['!uv pip install tensorflow==2.15.1', 'uv', '!'],
    ['%uv pip install tensorflow==2.15.1', 'uv', '%'],
    ['!sudo pip install tensorflow==2.15.1', 'pip', '!'],
    ['!PIP_NO_CACHE_DIR=1 pip install tensorflow==2.15.1', 'pip', '!'],
    ['out = !pip install tensorflow==2.15.1', 'pip', '!'],
    ['%%bash\npip install tensorflow==2.15.1', 'pip', '%%']
  ])('%s', (cell, tool, magic) => {
    const command = only(cell);
    expect(command.tool).toBe(tool);
    expect(command.magic).toBe(magic);
    expect(command.action).toBe('install');
    expect(command.requirements.map(r => [r.name, r.specifier])).toEqual([
      ['tensorflow', '==2.15.1']
    ]);
  });

  it('ignores Python, other subcommands and comments', () => {
    expect(
      parseCell(
        'import pip\npip = 3\n!pip list\n!pip show torch\n# !pip install torch\nprint("pip install x")'
      ).commands
    ).toEqual([]);
  });

  it('reads conda, mamba and their specs', () => {
    const command = only(
      '!conda install -y -c pytorch -c nvidia pytorch=2.1 pytorch-cuda=12.1 "numpy>=1.26,<2"'
    );
    expect(command.tool).toBe('conda');
    expect(command.options.channels).toEqual(['pytorch', 'nvidia']);
    expect(command.requirements.map(r => [r.name, r.specifier])).toEqual([
      ['torch', '==2.1.*'],
      ['pytorch-cuda', '==12.1.*'],
      ['numpy', '>=1.26,<2']
    ]);
    expect(names('%mamba install conda-forge::jax==0.4.30')).toEqual([
      ['jax==0.4.30']
    ]);
  });

  it('reads uninstall', () => {
    const command = only('!pip uninstall -y torch torchvision');
    expect(command.action).toBe('uninstall');
    expect(command.requirements.map(r => r.name)).toEqual([
      'torch',
      'torchvision'
    ]);
  });
});

describe('several commands, chains, continuations', () => {
  it('splits && ; || chains and keeps each command', () => {
    expect(
      names(
        '!pip install -q torch==2.5.1 && pip install "bitsandbytes>=0.43.1"; echo done\n%pip install jax'
      )
    ).toEqual([['torch==2.5.1'], ['bitsandbytes>=0.43.1'], ['jax']]);
  });

  it('joins backslash continuations and keeps positions in the cell', () => {
    const cell =
      '!pip install \\\n    tensorflow==2.15.1 \\\n    tf-keras~=2.15.0';
    const command = only(cell);
    expect(command.line).toBe(1);
    expect(command.requirements.map(r => r.name)).toEqual([
      'tensorflow',
      'tf-keras'
    ]);
    const [tf, keras] = command.requirements;
    expect(cell.slice(tf.from, tf.to)).toBe('tensorflow==2.15.1');
    expect(cell.slice(keras.from, keras.to)).toBe('tf-keras~=2.15.0');
  });

  it('gives the line of a command on a later line', () => {
    const cell = 'import os\n\n!pip install torch';
    expect(only(cell).line).toBe(3);
    const req = only(cell).requirements[0];
    expect(cell.slice(req.from, req.to)).toBe('torch');
  });

  it('stops at a comment', () => {
    expect(names('!pip install torch  # and later jax')).toEqual([['torch']]);
  });
});

describe('requirements', () => {
  it.each([
    ['"tensorflow[and-cuda]==2.15.1"', 'tensorflow', ['and-cuda'], '==2.15.1'],
    ["'torch>=2.1,<2.3'", 'torch', [], '>=2.1,<2.3'],
    ['"jax[cuda12]"', 'jax', ['cuda12'], ''],
    ['tf_keras~=2.15.0', 'tf-keras', [], '~=2.15.0'],
    ['"torch==2.2.0+cu121"', 'torch', [], '==2.2.0+cu121'],
    ['"bitsandbytes==0.43.1.post1"', 'bitsandbytes', [], '==0.43.1.post1'],
    ['"tensorflow==2.16.0rc0"', 'tensorflow', [], '==2.16.0rc0'],
    ['"tensorflow==2.15.*"', 'tensorflow', [], '==2.15.*'],
    ['"torch!=2.0.0"', 'torch', [], '!=2.0.0'],
    ['"Torch_Vision (>=0.17)"', 'torch-vision', [], '>=0.17']
  ])('%s', (arg, name, extras, specifier) => {
    const [req] = only(`!pip install ${arg}`).requirements;
    expect([req.name, req.extras, req.specifier]).toEqual([
      name,
      extras,
      specifier
    ]);
  });

  it('reads markers, direct URLs and wheel files', () => {
    const command = only(
      `!pip install "numpy<2; python_version < '3.12'" "mypkg @ git+https://example.org/x.git" https://example.org/w/torch-2.2.0%2Bcu121-cp311-cp311-linux_x86_64.whl ./local_pkg`
    );
    expect(
      command.requirements.map(r => [r.name, r.specifier, r.marker, r.url])
    ).toEqual([
      ['numpy', '<2', "python_version < '3.12'", null],
      ['mypkg', '', null, 'git+https://example.org/x.git'],
      [
        'torch',
        '==2.2.0+cu121',
        null,
        'https://example.org/w/torch-2.2.0%2Bcu121-cp311-cp311-linux_x86_64.whl'
      ],
      [null, '', null, './local_pkg']
    ]);
  });

  it('reads `name @ url` written without quotes', () => {
    const [req] = only(
      '!pip install mypkg @ https://example.org/mypkg.zip'
    ).requirements;
    expect([req.name, req.url]).toEqual([
      'mypkg',
      'https://example.org/mypkg.zip'
    ]);
  });

  it('reports a bad specifier as unknown instead of guessing', () => {
    const command = only('!pip install "torch==two" jax');
    expect(command.requirements.map(r => r.name)).toEqual(['jax']);
    expect(command.unknown).toEqual([
      expect.objectContaining({ text: 'torch==two' })
    ]);
  });
});

describe('options', () => {
  it('reads the flags that change what pip does', () => {
    const command = only(
      '!pip install -qU --force-reinstall --no-deps --pre --user torch --index-url https://example.org/whl/cu121 --extra-index-url=https://example.org/b -r req.txt -c constraints.txt'
    );
    expect(command.options).toEqual(
      expect.objectContaining({
        upgrade: true,
        forceReinstall: true,
        noDeps: true,
        pre: true,
        user: true,
        indexUrl: 'https://example.org/whl/cu121',
        extraIndexUrls: ['https://example.org/b'],
        requirementFiles: ['req.txt'],
        constraintFiles: ['constraints.txt']
      })
    );
    expect(command.requirements.map(r => r.name)).toEqual(['torch']);
    expect(command.unknown).toEqual([]);
  });

  it('lists an unknown option and a Python variable as unknown', () => {
    const command = only('!pip install --frobnicate torch==$VERSION {pkg}');
    expect(command.unknown.map(u => u.text)).toEqual([
      '--frobnicate',
      'torch==$VERSION',
      '{pkg}'
    ]);
  });

  it('reports a line it cannot finish reading', () => {
    const plan = parseCell('!pip install "torch==2.5.1');
    expect(plan.unknown).toEqual([
      expect.objectContaining({ reason: 'unterminated double quote' })
    ]);
  });
});

describe('unquoted specifiers', () => {
  it('sees that the shell swallows >=0.43.1 as a redirection', () => {
    const cell = '!pip install bitsandbytes>=0.43.1';
    const command = only(cell);
    expect(command.requirements.map(r => [r.name, r.specifier])).toEqual([
      ['bitsandbytes', '']
    ]);
    expect(command.unquoted).toEqual([
      {
        meant: 'bitsandbytes>=0.43.1',
        redirect: '>',
        file: '=0.43.1',
        line: 1,
        from: cell.indexOf('bitsandbytes'),
        to: cell.length
      }
    ]);
  });

  it('joins a range written as two redirections into one argument', () => {
    expect(
      only('%pip install torch>=2.1,<2.3 jax').unquoted.map(u => u.meant)
    ).toEqual(['torch>=2.1,<2.3']);
  });

  it('leaves quoted, escaped and real redirections alone', () => {
    for (const cell of [
      '!pip install "bitsandbytes>=0.43.1"',
      "!pip install 'bitsandbytes>=0.43.1'",
      '!pip install bitsandbytes\\>=0.43.1',
      '!pip install torch > log.txt 2>&1',
      '!pip install torch 2>/dev/null'
    ]) {
      expect(only(cell).unquoted).toEqual([]);
    }
  });
});
