import { describe, expect, it } from 'vitest'
import { findProductNode, isProductType } from './findProductNode'

/** The rule as a regular expression, the form it had before: the oracle the string test must agree with. */
const PRODUCT_TYPE = /(?:^|[/:])Product(?:Group)?$/

describe('isProductType', () => {
  it.each([
    ['Product', true],
    ['ProductGroup', true],
    ['schema:Product', true],
    ['http://schema.org/Product', true],
    ['https://schema.org/ProductGroup', true],
    ['IndividualProduct', false],
    ['https://schema.org/SomeProducts', false],
    ['ProductModel', false],
    ['ProductGroupGroup', false],
    ['Group', false],
    ['product', false],
    ['', false],
    [undefined, false],
    [7, false],
  ])('%j → %s', (type, expected) => {
    expect(isProductType(type)).toBe(expected)
  })

  it('agrees with the regular expression on 20,000 strings built from the pieces that matter', () => {
    const parts = ['Product', 'Group', '/', ':', 'schema', 'x', 'P', 'roduct', 'Individual', '']
    let seed = 11
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647
    let matches = 0
    for (let n = 0; n < 20_000; n++) {
      let type = ''
      const length = Math.floor(random() * 5)
      for (let i = 0; i < length; i++) type += parts[Math.floor(random() * parts.length)]
      const expected = PRODUCT_TYPE.test(type)
      if (expected) matches++
      expect(isProductType(type), type).toBe(expected)
    }
    expect(matches).toBeGreaterThan(500)
  })
})

describe('findProductNode', () => {
  it('finds a Product at the top level, in an array, by a type list and inside @graph', () => {
    const product = { '@type': 'https://schema.org/Product', sku: 'a' }
    expect(findProductNode(product)).toBe(product)
    expect(findProductNode([{ '@type': 'WebPage' }, product])).toBe(product)
    const listed = { '@type': ['Thing', 'schema:ProductGroup'] }
    expect(findProductNode(listed)).toBe(listed)
    expect(findProductNode({ '@graph': [{ '@type': 'BreadcrumbList' }, product] })).toBe(product)
  })

  it('skips other types and nesting deeper than three levels', () => {
    expect(findProductNode({ '@type': 'IndividualProduct' })).toBeUndefined()
    expect(findProductNode([[[[{ '@type': 'Product' }]]]])).toBeUndefined()
    expect(findProductNode(null)).toBeUndefined()
  })
})
