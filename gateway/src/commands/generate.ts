/** `apicast generate policy NAME [DIR]`: scaffolds a custom policy folder (gateway/src/scaffold). */
export { generateCommand as default } from '../scaffold/generate-policy.js';
