import prettierRecommended from 'eslint-plugin-prettier/recommended';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      '**/lib',
      '**/build',
      'coverage',
      'jupyterlab_gpu_compat',
      '.venv*',
      'src/_generated',
      'test/ui/test-results',
      'test/ui/playwright-report',
      '*.js',
      'test/ui/*.js',
      'scripts'
    ]
  },
  ...tseslint.configs.recommended,
  prettierRecommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/naming-convention': [
        'error',
        {
          selector: 'interface',
          format: ['PascalCase'],
          custom: { regex: '^I[A-Z]', match: true }
        }
      ],
      '@typescript-eslint/no-unused-vars': ['warn', { args: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // JupyterLab's own pattern: `namespace Foo { export interface IOptions }` beside `class Foo`
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/consistent-type-imports': 'off',
      curly: ['error', 'all'],
      eqeqeq: 'error',
      'prefer-arrow-callback': 'error'
    }
  },
  {
    // Browser tests reach into window.jupyterapp, which has no types.
    files: ['test/ui/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    // The engine runs in plain Node and in the browser: it never imports JupyterLab, Lumino or React.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@jupyterlab/*', '@lumino/*', 'react', 'react-dom'],
              message: 'src/engine must stay pure TypeScript.'
            }
          ]
        }
      ]
    }
  }
);
