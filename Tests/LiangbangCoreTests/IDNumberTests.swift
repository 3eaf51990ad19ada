// GB 11643-1999 rules: check character, birth date, sex, the Excel-number trap, masking.
import LiangbangCore
import Testing

/// Builds a valid ID from a division code, birth date and sequence (synthetic, no real person).
func makeID(_ division: String = "440982", _ birth: String = "20100315", seq: String = "123") -> String {
    let first17 = division + birth + seq
    return first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! }))
}

@Suite struct IDNumberTests {
    @Test func acceptsAValidIDAndReadsBirthDateAndSex() throws {
        let id = try IDNumber.parse(makeID(seq: "123")).get()
        #expect(id.birthDate == LocalDate(year: 2010, month: 3, day: 15))
        #expect(id.sex == Sex.male)                     // 17th digit 3 is odd
        #expect(try IDNumber.parse(makeID(seq: "124")).get().sex == .female)
        #expect(id.divisionCode == "440982")
    }

    @Test func theKnownStandardExampleHasCheckCharacterX() {
        // The worked example of GB 11643-1999: 11010519491231002X.
        #expect(IDNumber.checkCharacter(for: "11010519491231002".map { Int(String($0))! }) == "X")
        #expect((try? IDNumber.parse("11010519491231002x").get())?.value == "11010519491231002X")
    }

    @Test func normalisesFullWidthDigitsSpacesAndLowerCaseX() throws {
        let id = makeID()
        let fullWidth = String(id.unicodeScalars.map { Character(Unicode.Scalar($0.value - 0x30 + 0xFF10)!) })
        #expect(try IDNumber.parse(" " + fullWidth + " ").get().value == id)
    }

    @Test(arguments: [
        ("4.40982200708302E+17", IDNumber.Problem.scientificNotation),
        ("", .empty),
        ("44098219990101", .wrongLength(14)),
        ("440982990101123", .fifteenDigitAfter2000),
        ("44098220101315123A", .invalidCharacters),
        ("440982201002301230", .invalidBirthDate),
    ])
    func refusesBadIDs(input: String, problem: IDNumber.Problem) {
        guard case .failure(let got) = IDNumber.parse(input) else {
            Issue.record("accepted \(input)"); return
        }
        #expect(got == problem)
        #expect(!got.message.isEmpty)
    }

    @Test func refusesAWrongCheckCharacterAndAFutureBirthDate() {
        var id = Array(makeID())
        id[17] = id[17] == "1" ? "2" : "1"
        guard case .failure(.checkDigit) = IDNumber.parse(String(id)) else { Issue.record("check digit not caught"); return }
        let future = makeID("440982", "20300101")
        guard case .failure(.birthDateInFuture) = IDNumber.parse(future, today: LocalDate(year: 2022, month: 7, day: 1)!) else {
            Issue.record("future birth date not caught"); return
        }
    }

    @Test func masksAllButDivisionCodeAndLastFour() {
        let id = makeID()
        #expect(IDNumber.mask(id) == String(id.prefix(6)) + "********" + String(id.suffix(4)))
        #expect(IDNumber.Problem.scientificNotation.message.contains("文本"))
    }
}

@Suite struct FormattingTests {
    @Test func padsAndHexEncodesLikeStringFormat() {
        #expect(Formatting.padded(7, 2) == "07" && Formatting.padded(2022, 4) == "2022" && Formatting.padded(123, 2) == "123")
        #expect(Formatting.hex([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(LocalDate(year: 987, month: 1, day: 2)!.iso == "0987-01-02")
        #expect(SessionRules.timeText(19 * 60 + 5) == "19:05")
    }

    @Test func scientificNotationInAnyCaseIsCaught() {
        for text in ["4.40982200708302E+17", "4.40982200708302e+17", "4.4098220070830E17"] {
            guard case .failure(let p) = IDNumber.parse(text) else { Issue.record("accepted \(text)"); continue }
            #expect(p == .scientificNotation || p == .invalidCharacters || p == .wrongLength(text.count))
        }
        guard case .failure(.scientificNotation) = IDNumber.parse("4.40982200708302E+17") else { Issue.record("E+17"); return }
    }
}
