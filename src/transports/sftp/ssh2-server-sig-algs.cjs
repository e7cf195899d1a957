// Run by `npm install` / `npm ci` (package.json postinstall). Corrects a one-character defect of ssh2 1.17.0
// (mscdex/ssh2#1485, open): the server's EXT_INFO "server-sig-algs" list (RFC 8308 §3.1) is built as
//   'ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521' + 'rsa-sha2-512,rsa-sha2-256,...'
// which reads "...nistp521rsa-sha2-512,...": OpenSSH clients then refuse rsa-sha2-512 and ECDSA P-521 keys.
// The fix adds the comma. It checks the exact text first and changes nothing else; when ssh2 ships the fix
// (or changes the code) it reports that and leaves the file alone. test/sftp/hosted.test.ts logs in with both.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

let file;
try {
  file = require.resolve('ssh2/lib/protocol/Protocol.js');
} catch {
  process.exit(0); // ssh2 not installed (e.g. a partial install): nothing to do
}
const src = readFileSync(file, 'utf8');
const broken = "'ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521'\n      + 'rsa-sha2-512,";
const fixed = "'ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,'\n      + 'rsa-sha2-512,";
if (src.includes(fixed)) process.exit(0);
if (!src.includes(broken)) {
  console.warn('edigate: ssh2 server-sig-algs code has changed; the mscdex/ssh2#1485 correction was not applied (check the SFTP login tests)');
  process.exit(0);
}
writeFileSync(file, src.replace(broken, fixed));
console.log('edigate: corrected ssh2 server-sig-algs (mscdex/ssh2#1485)');
