import BigInt
import Linalg
import PropertyBased
import Testing

@Suite struct RationalTests {
    /// Field operations agree with cross-multiplication in BigInt, including operands that
    /// overflow `Int` (the fast path must hand over to BigInt without losing exactness).
    @Test func fieldOperationsMatchCrossMultiplication() async {
        await propertyCheck(count: 500, input: Gen.int(in: -Int.max...Int.max), Gen.int(in: 1...Int.max),
                            Gen.int(in: -1000...1000), Gen.int(in: 1...1000)) { a, b, c, d in
            let x = Rational(a, b), y = Rational(c, d)
            let (A, B, C, D) = (BigInt(a), BigInt(b), BigInt(c), BigInt(d))
            #expect(x + y == Rational(A * D + C * B, B * D))
            #expect(x - y == Rational(A * D - C * B, B * D))
            #expect(x * y == Rational(A * C, B * D))
            if c != 0 { #expect(x / y == Rational(A * D, B * C)) }
            #expect((x + y) - y == x)
            #expect((x < y) == (A * D < C * B))
        }
    }

    /// Every finite double is a dyadic rational; the conversion is exact and round-trips.
    @Test func exactValueOfDoubles() async {
        await propertyCheck(count: 500, input: Gen.double(in: -1e300...1e300)) { v in
            let r = Rational(approximating: v)
            #expect(r.doubleValue == v)
            #expect(Rational(approximating: v / 1024) == r / Rational(1024))
        }
        #expect(Rational(approximating: 0.1) != Rational(1, 10))           // 0.1 is not 1/10 in binary
        #expect(Rational(approximating: 0.5) == Rational(1, 2))
        #expect(Rational(approximating: Double.leastNonzeroMagnitude).denominator == BigInt(1) << 1074)
    }

    @Test func parsing() {
        #expect(Rational(parsing: "3/4") == Rational(3, 4))
        #expect(Rational(parsing: "-6/8") == Rational(-3, 4))
        #expect(Rational(parsing: "-1.25") == Rational(-5, 4))
        #expect(Rational(parsing: "-0.5") == Rational(-1, 2))
        #expect(Rational(parsing: "7") == Rational(7))
        #expect(Rational(parsing: "1/0") == nil)
        #expect(Rational(parsing: "nan") == nil)
        #expect(Rational(parsing: "1.2.3") == nil)
    }

    @Test func lowestTermsAndSign() {
        let r = Rational(BigInt(6), BigInt(-4))
        #expect(r.numerator == -3 && r.denominator == 2)
        #expect(Rational(Int.min, 1) * Rational(-1) == Rational(-BigInt(Int.min), 1))
        #expect(-Rational(Int.min, 1) > .zero)
    }
}
