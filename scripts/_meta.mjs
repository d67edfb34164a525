import { build } from 'esbuild';
const r = await build({ entryPoints: ['src/main.tsx'], bundle: true, minify: true, write: false, metafile: true, format: 'esm', splitting: true, outdir: '/tmp/metaout', jsx: 'automatic', jsxImportSource: 'preact', loader: { '.css': 'empty', '.svg': 'dataurl', '.ttf': 'empty', '.md': 'text' }, external: ['*?worker', '*?raw', 'monaco-editor', '*.css'], logLevel: 'silent' }).catch(e => { console.error(e.message.slice(0, 2000)); process.exit(1); });
const out = Object.entries(r.metafile.outputs).find(([k, v]) => v.entryPoint === 'src/main.tsx');
const inputs = Object.entries(out[1].inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
let tot = 0; for (const [, v] of inputs) tot += v.bytesInOutput;
console.log('total', tot);
for (const [k, v] of inputs.slice(0, 40)) console.log(String(v.bytesInOutput).padStart(7), k);
