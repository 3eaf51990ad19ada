// CSV reading: encodings (UTF-8, BOM, GB18030/GBK) and RFC 4180 quoting.

import Foundation
import Testing
@testable import Spreadsheet

@Suite struct CSVTests {
    @Test func utf8WithAndWithoutBOM() throws {
        let text = "姓名,学校\n张三,广州一中\n"
        #expect(try CSV.decode(Data(text.utf8)) == text)
        #expect(try CSV.decode(Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))) == text)
    }

    @Test func gbkIsDetectedAndDecoded() throws {
        // "姓名,学校" in GBK.
        let gbk: [UInt8] = [0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0xD1, 0xA7, 0xD0, 0xA3, 0x0A]
        #expect(try CSV.decode(Data(gbk)) == "姓名,学校\n")
        let sheet = try SpreadsheetReader.readSheet(data: Data(gbk), filename: "名单.csv")
        #expect(sheet.rows[0].cells.map(\.raw) == ["姓名", "学校"])
    }

    @Test func quotedFieldsWithNewlinesAndQuotes() {
        let rows = CSV.parse("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,x\nlast,")
        #expect(rows == [["a", "b,1", "say \"hi\""], ["multi\nline", "", "x"], ["last", ""]])
    }

    @Test func tabSeparatedIsRecognised() {
        #expect(CSV.parse("a\tb\n1\t2") == [["a", "b"], ["1", "2"]])
    }

    @Test func fieldsAreQuotedOnWrite() {
        var out: [UInt8] = []
        for f in ["plain", "a,b", "q\"q", "l\nl"] {
            var s = f
            s.withUTF8 { CSV.appendField($0, to: &out) }
            out.append(0x7C)
        }
        #expect(String(decoding: out, as: UTF8.self) == "plain|\"a,b\"|\"q\"\"q\"|\"l\nl\"|")
    }
}
