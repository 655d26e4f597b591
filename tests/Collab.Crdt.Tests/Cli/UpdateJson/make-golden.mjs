// Writes update-json.golden.json: documents built with real yjs 13.6.33, their updates (v1 and v2), and what
// JSON.stringify prints for their roots read through yjs — the expected output of `collab update json`.
// Run from the repository root after `npm ci` in tests/yjs-oracle:
//   node tests/Collab.Crdt.Tests/Cli/UpdateJson/make-golden.mjs
import { createRequire } from 'node:module'
import { writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'

const here = dirname(fileURLToPath(import.meta.url))
const oracle = createRequire(join(here, '..', '..', '..', 'yjs-oracle', 'package.json'))
const Y = await import(pathToFileURL(join(dirname(oracle.resolve('yjs/package.json')), 'dist', 'yjs.mjs')).href)
const version = oracle('yjs/package.json').version
if (version !== '13.6.33') throw new Error(`expected yjs 13.6.33, found ${version}`)

const b64 = u8 => Buffer.from(u8).toString('base64')

// yjs' rendering per kind: toJSON for text, map and array; toString for xml.
const render = (doc, name, kind) => {
  switch (kind) {
    case 'text': return doc.getText(name).toJSON()
    case 'map': return doc.getMap(name).toJSON()
    case 'array': return doc.getArray(name).toJSON()
    case 'xml': return doc.getXmlFragment(name).toString()
  }
  throw new Error(kind)
}

// The same rule as Collab.Crdt.TypeKinds.Infer, on a root that yjs created while decoding (an AbstractType).
const infer = type => {
  let anyList = false
  for (let n = type._start; n !== null; n = n.right) {
    anyList = true
    const c = n.content
    if (c instanceof Y.ContentString || c instanceof Y.ContentFormat || c instanceof Y.ContentEmbed) return 'text'
    if (c instanceof Y.ContentType && (c.type instanceof Y.XmlElement || c.type instanceof Y.XmlText || c.type instanceof Y.XmlHook)) return 'xml'
  }
  if (anyList) return 'array'
  return type._map.size > 0 ? 'map' : null
}

const cases = []
const add = (name, clientID, build, types) => {
  const doc = new Y.Doc()
  doc.clientID = clientID
  build(doc)
  const update = Y.encodeStateAsUpdate(doc)
  const updateV2 = Y.encodeStateAsUpdateV2(doc)

  const withTypes = new Y.Doc()
  Y.applyUpdate(withTypes, update)
  const typed = {}
  for (const [root, kind] of types) typed[root] = render(withTypes, root, kind)

  const inferredDoc = new Y.Doc()
  Y.applyUpdateV2(inferredDoc, updateV2)
  const inferred = {}
  for (const root of Array.from(inferredDoc.share.keys())) {
    const kind = infer(inferredDoc.share.get(root))
    if (kind !== null) inferred[root] = render(inferredDoc, root, kind)
  }

  cases.push({
    name,
    update: b64(update),
    updateV2: b64(updateV2),
    types: types.map(([root, kind]) => `${root}:${kind}`).join(','),
    expected: JSON.stringify(typed),
    expectedInferred: JSON.stringify(inferred)
  })
}

add('empty document', 1, () => {}, [['text', 'text'], ['m', 'map'], ['a', 'array'], ['x', 'xml']])

add('text with escapes, formatting and embeds', 7, doc => {
  const t = doc.getText('text')
  t.insert(0, 'héllo "wörld" \\ \n\t\u0001\u001f\u007f\u2028 ✓ end')
  t.format(1, 4, { bold: true })
  t.insertEmbed(3, { image: 'x.png' })
  t.delete(0, 1)
  t.insert(0, 'H', { italic: true })
}, [['text', 'text']])

add('map with JavaScript numbers, key order and binary', 1234567, doc => {
  const m = doc.getMap('map')
  const numbers = { zero: 0, negZero: -0, big: 1e21, bigInt: 123456789012345680000, small: 1e-7, tiny: 5e-324,
    sum: 0.1 + 0.2, max: Number.MAX_SAFE_INTEGER, pow: 2 ** 53, neg: -1.5, third: 1 / 3, e20: 1e20, e6: 1e-6,
    nan: NaN, inf: Infinity, minusInf: -Infinity, int32: 2147483647, int32plus: 2147483648 }
  for (const [k, v] of Object.entries(numbers)) m.set(k, v)
  for (const k of ['b', 'a', '10', '2', '-1', '01', '4294967295', '4294967294', '']) m.set(k, k.length)
  m.set('t', true)
  m.set('f', false)
  m.set('n', null)
  m.set('u', undefined)
  m.set('bin', new Uint8Array([0, 1, 255]))
  m.set('obj', { z: 1, 1: 'one', 0: 'zero', nested: { b: [1, null, undefined, 'x'], a: {} } })
  m.set('arr', [[], {}, [1, [2, [3]]]])
  m.set('gone', 'soon')
  m.delete('gone')
  m.set('twice', 1)
  m.set('twice', 2)
}, [['map', 'map']])

add('array with nested shared types', 42, doc => {
  const a = doc.getArray('array')
  const inner = new Y.Map()
  const innerArray = Y.Array.from([1, 'two', false])
  const innerText = new Y.Text('nested text')
  a.insert(0, [1, 'x', null, [undefined], { k: 'v' }, [1, 2], new Uint8Array([9])])
  a.push([inner, innerArray, innerText])
  inner.set('k', 'v')
  inner.set('deep', Y.Array.from([new Y.Map()]))
  a.delete(1, 1)
  a.insert(1, ['y'])
}, [['array', 'array']])

add('xml with elements, attributes, formatted text and a hook', 99, doc => {
  const x = doc.getXmlFragment('xml')
  const p = new Y.XmlElement('p')
  const t = new Y.XmlText('hi <there> & "you"')
  const hook = new Y.XmlHook('widget')
  x.insert(0, [p, new Y.XmlElement('hr'), hook])
  p.insert(0, [t, new Y.XmlElement('span')])
  p.setAttribute('zeta', 'z')
  p.setAttribute('alpha', 'a & b')
  p.setAttribute('id', '10')
  t.format(0, 2, { bold: {} })
  t.format(3, 2, { i: { color: 'red' } })
  hook.set('k', 1)
}, [['xml', 'xml']])

add('several roots, index-like names and content-free kinds', 3, doc => {
  doc.getText('text').insert(0, 'abc')
  doc.getMap('10').set('x', 1)
  doc.getArray('2').push([1])
  doc.getXmlFragment('b').insert(0, [new Y.XmlText('t')])
  doc.getText('a').insert(0, 'gone')
  doc.getText('a').delete(0, 4)
  const m = doc.getMap('emptied')
  m.set('k', 1)
  m.delete('k')
}, [['text', 'text'], ['10', 'map'], ['2', 'array'], ['b', 'xml'], ['a', 'text'], ['emptied', 'map'],
  ['missing-text', 'text'], ['missing-map', 'map'], ['missing-array', 'array'], ['missing-xml', 'xml'],
  ['0', 'text']])

add('text read with the other kinds', 5, doc => {
  doc.getText('t').insert(0, 'some text')
  doc.getMap('m').set('a', 'b')
}, [['t', 'array'], ['m', 'text'], ['m2', 'xml']])

writeFileSync(join(here, 'update-json.golden.json'), JSON.stringify({ yjs: version, cases }, null, 2) + '\n')
process.stderr.write(`wrote ${cases.length} cases\n`)
