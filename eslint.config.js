// ESLint reads this file; the configuration lives in scripts/lint (see its package.json for why).
export { default } from 'netkit-lint';
