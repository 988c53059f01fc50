-- Search on PostgreSQL matches what FTS5 matches (docs/postgresql.md,
-- "Full-text search"); the SQLite side of this number changes nothing.
--
-- FTS5 reads roles through 'porter unicode61 remove_diacritics 2': every
-- character that is not a letter or digit (of Unicode 6.1) separates
-- words, letters are folded to lower case without diacritics, and each
-- word of 3 to 64 bytes is reduced by the Porter stemmer. The parser and
-- the Snowball English stemmer of migration 0003 split "AR/VR", "C++" and
-- "CI/CD" otherwise, kept "café" apart from "cafe" and stemmed some words
-- differently, so the document and the query are now made here, the same
-- way, from the same words.

-- The original Porter stemmer, as FTS5's but for the rules that
-- techpay_search_words adds.
CREATE TEXT SEARCH DICTIONARY techpay_porter (TEMPLATE = snowball, LANGUAGE = porter);

-- The words of a text, in order, as FTS5 indexes them. The dictionary is
-- an argument so that the callers below bind it when they are created;
-- this body names only built-in functions, so no search_path can change
-- what it calls. Text that is all ASCII takes a short way; otherwise the
-- two tables are what FTS5 answered for every code point
-- (scripts/unicode61-tables.py prints them): its separators become
-- spaces, then its folds apply.
CREATE FUNCTION techpay_search_words(t text, dict regdictionary) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT COST 5000 AS $$
DECLARE
    -- Porter's measure m of a stem counts its vowel-consonant pairs (y is
    -- a vowel after a consonant): these tell m > 0 and m > 1.
    m0 CONSTANT text := '([aeiou]|[^aeiouy]y|^yy|[aeiou]yy)[^aeiou]';
    m1 CONSTANT text := m0 || '.*([aeiou]|[^aeiouy]y)[^aeiou]';
    folded text;
    w text;
    s text;
    words text[] := '{}';
BEGIN
    IF t ~ '[^\u0001-\u007F]' THEN
        folded := translate(regexp_replace(t,
            '[' || '\u0001-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u00A9\u00AB-\u00B1\u00B4'
               || '\u00B6-\u00B8\u00BB\u00BF\u00D7\u00F7\u02C2-\u02C5\u02D2-\u02DF'
               || '\u02E5-\u02EB\u02ED\u02EF-\u02FF\u0305\u030D-\u030E\u0310\u0312-\u031A'
               || '\u031C-\u0322\u0329-\u032C\u032F\u0332-\u036F\u0375\u037E\u0384-\u0385'
               || '\u0387\u03F6\u0482-\u0489\u055A-\u055F\u0589-\u058A\u058F\u0591-\u05C7'
               || '\u05F3-\u05F4\u0600-\u0604\u0606-\u061B\u061E-\u061F\u064B-\u065F'
               || '\u066A-\u066D\u0670\u06D4\u06D6-\u06E4\u06E7-\u06ED\u06FD-\u06FE'
               || '\u0700-\u070D\u070F\u0711\u0730-\u074A\u07A6-\u07B0\u07EB-\u07F3'
               || '\u07F6-\u07F9\u0816-\u0819\u081B-\u0823\u0825-\u0827\u0829-\u082D'
               || '\u0830-\u083E\u0859-\u085B\u085E\u08E4-\u08FE\u0900-\u0903\u093A-\u093C'
               || '\u093E-\u094F\u0951-\u0957\u0962-\u0965\u0970\u0981-\u0983\u09BC'
               || '\u09BE-\u09C4\u09C7-\u09C8\u09CB-\u09CD\u09D7\u09E2-\u09E3\u09F2-\u09F3'
               || '\u09FA-\u09FB\u0A01-\u0A03\u0A3C\u0A3E-\u0A42\u0A47-\u0A48\u0A4B-\u0A4D'
               || '\u0A51\u0A70-\u0A71\u0A75\u0A81-\u0A83\u0ABC\u0ABE-\u0AC5\u0AC7-\u0AC9'
               || '\u0ACB-\u0ACD\u0AE2-\u0AE3\u0AF0-\u0AF1\u0B01-\u0B03\u0B3C\u0B3E-\u0B44'
               || '\u0B47-\u0B48\u0B4B-\u0B4D\u0B56-\u0B57\u0B62-\u0B63\u0B70\u0B82'
               || '\u0BBE-\u0BC2\u0BC6-\u0BC8\u0BCA-\u0BCD\u0BD7\u0BF3-\u0BFA\u0C01-\u0C03'
               || '\u0C3E-\u0C44\u0C46-\u0C48\u0C4A-\u0C4D\u0C55-\u0C56\u0C62-\u0C63\u0C7F'
               || '\u0C82-\u0C83\u0CBC\u0CBE-\u0CC4\u0CC6-\u0CC8\u0CCA-\u0CCD\u0CD5-\u0CD6'
               || '\u0CE2-\u0CE3\u0D02-\u0D03\u0D3E-\u0D44\u0D46-\u0D48\u0D4A-\u0D4D\u0D57'
               || '\u0D62-\u0D63\u0D79\u0D82-\u0D83\u0DCA\u0DCF-\u0DD4\u0DD6\u0DD8-\u0DDF'
               || '\u0DF2-\u0DF4\u0E31\u0E34-\u0E3A\u0E3F\u0E47-\u0E4F\u0E5A-\u0E5B\u0EB1'
               || '\u0EB4-\u0EB9\u0EBB-\u0EBC\u0EC8-\u0ECD\u0F01-\u0F1F\u0F34-\u0F3F'
               || '\u0F71-\u0F87\u0F8D-\u0F97\u0F99-\u0FBC\u0FBE-\u0FCC\u0FCE-\u0FDA'
               || '\u102B-\u103E\u104A-\u104F\u1056-\u1059\u105E-\u1060\u1062-\u1064'
               || '\u1067-\u106D\u1071-\u1074\u1082-\u108D\u108F\u109A-\u109F\u10FB'
               || '\u135D-\u1368\u1390-\u1399\u1400\u166D-\u166E\u1680\u169B-\u169C'
               || '\u16EB-\u16ED\u1712-\u1714\u1732-\u1736\u1752-\u1753\u1772-\u1773'
               || '\u17B4-\u17D6\u17D8-\u17DB\u17DD\u1800-\u180E\u18A9\u1920-\u192B'
               || '\u1930-\u193B\u1940\u1944-\u1945\u19B0-\u19C0\u19C8-\u19C9\u19DE-\u19FF'
               || '\u1A17-\u1A1B\u1A1E-\u1A1F\u1A55-\u1A5E\u1A60-\u1A7C\u1A7F\u1AA0-\u1AA6'
               || '\u1AA8-\u1AAD\u1B00-\u1B04\u1B34-\u1B44\u1B5A-\u1B7C\u1B80-\u1B82'
               || '\u1BA1-\u1BAD\u1BE6-\u1BF3\u1BFC-\u1BFF\u1C24-\u1C37\u1C3B-\u1C3F'
               || '\u1C7E-\u1C7F\u1CC0-\u1CC7\u1CD0-\u1CE8\u1CED\u1CF2-\u1CF4\u1DC0-\u1DE6'
               || '\u1DFC-\u1DFF\u1FBD\u1FBF-\u1FC1\u1FCD-\u1FCF\u1FDD-\u1FDF\u1FED-\u1FEF'
               || '\u1FFD-\u1FFE\u2000-\u2064\u206A-\u206F\u207A-\u207E\u208A-\u208E'
               || '\u20A0-\u20B9\u20D0-\u20F0\u2100-\u2101\u2103-\u2106\u2108-\u2109\u2114'
               || '\u2116-\u2118\u211E-\u2123\u2125\u2127\u2129\u212E\u213A-\u213B'
               || '\u2140-\u2144\u214A-\u214D\u214F\u2190-\u23F3\u2400-\u2426\u2440-\u244A'
               || '\u249C-\u24E9\u2500-\u26FF\u2701-\u2775\u2794-\u2B4C\u2B50-\u2B59'
               || '\u2CE5-\u2CEA\u2CEF-\u2CF1\u2CF9-\u2CFC\u2CFE-\u2CFF\u2D70\u2D7F'
               || '\u2DE0-\u2E2E\u2E30-\u2E3B\u2E80-\u2E99\u2E9B-\u2EF3\u2F00-\u2FD5'
               || '\u2FF0-\u2FFB\u3000-\u3004\u3008-\u3020\u302A-\u3030\u3036-\u3037'
               || '\u303D-\u303F\u3099-\u309C\u30A0\u30FB\u3190-\u3191\u3196-\u319F'
               || '\u31C0-\u31E3\u3200-\u321E\u322A-\u3247\u3250\u3260-\u327F\u328A-\u32B0'
               || '\u32C0-\u32FE\u3300-\u33FF\u4DC0-\u4DFF\uA490-\uA4C6\uA4FE-\uA4FF'
               || '\uA60D-\uA60F\uA66F-\uA67E\uA69F\uA6F0-\uA6F7\uA700-\uA716\uA720-\uA721'
               || '\uA789-\uA78A\uA802\uA806\uA80B\uA823-\uA82B\uA836-\uA839\uA874-\uA877'
               || '\uA880-\uA881\uA8B4-\uA8C4\uA8CE-\uA8CF\uA8E0-\uA8F1\uA8F8-\uA8FA'
               || '\uA926-\uA92F\uA947-\uA953\uA95F\uA980-\uA983\uA9B3-\uA9CD\uA9DE-\uA9DF'
               || '\uAA29-\uAA36\uAA43\uAA4C-\uAA4D\uAA5C-\uAA5F\uAA77-\uAA79\uAA7B\uAAB0'
               || '\uAAB2-\uAAB4\uAAB7-\uAAB8\uAABE-\uAABF\uAAC1\uAADE-\uAADF\uAAEB-\uAAF1'
               || '\uAAF5-\uAAF6\uABE3-\uABED\uFB1E\uFB29\uFBB2-\uFBC1\uFD3E-\uFD3F'
               || '\uFDFC-\uFDFD\uFE00-\uFE19\uFE20-\uFE26\uFE30-\uFE52\uFE54-\uFE66'
               || '\uFE68-\uFE6B\uFEFF\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65'
               || '\uFFE0-\uFFE6\uFFE8-\uFFEE\uFFF9-\uFFFF\U00010100-\U00010102'
               || '\U00010137-\U0001013F\U00010179-\U00010189\U00010190-\U0001019B'
               || '\U000101D0-\U000101FD\U0001039F\U000103D0\U00010857\U0001091F\U0001093F'
               || '\U00010A01-\U00010A03\U00010A05-\U00010A06\U00010A0C-\U00010A0F'
               || '\U00010A38-\U00010A3A\U00010A3F\U00010A50-\U00010A58\U00010A7F'
               || '\U00010B39-\U00010B3F\U00011000-\U00011002\U00011038-\U0001104D'
               || '\U00011080-\U00011082\U000110B0-\U000110C1\U00011100-\U00011102'
               || '\U00011127-\U00011134\U00011140-\U00011143\U00011180-\U00011182'
               || '\U000111B3-\U000111C0\U000111C5-\U000111C8\U000116AB-\U000116B7'
               || '\U00012470-\U00012473\U00016F51-\U00016F7E\U00016F8F-\U00016F92'
               || '\U0001D000-\U0001D0F5\U0001D100-\U0001D126\U0001D129-\U0001D1DD'
               || '\U0001D200-\U0001D245\U0001D300-\U0001D356\U0001D6C1\U0001D6DB\U0001D6FB'
               || '\U0001D715\U0001D735\U0001D74F\U0001D76F\U0001D789\U0001D7A9\U0001D7C3'
               || '\U0001EEF0-\U0001EEF1\U0001F000-\U0001F02B\U0001F030-\U0001F093'
               || '\U0001F0A0-\U0001F0AE\U0001F0B1-\U0001F0BE\U0001F0C1-\U0001F0CF'
               || '\U0001F0D1-\U0001F0DF\U0001F110-\U0001F12E\U0001F130-\U0001F16B'
               || '\U0001F170-\U0001F19A\U0001F1E6-\U0001F202\U0001F210-\U0001F23A'
               || '\U0001F240-\U0001F248\U0001F250-\U0001F251\U0001F300-\U0001F320'
               || '\U0001F330-\U0001F335\U0001F337-\U0001F37C\U0001F380-\U0001F393'
               || '\U0001F3A0-\U0001F3C4\U0001F3C6-\U0001F3CA\U0001F3E0-\U0001F3F0'
               || '\U0001F400-\U0001F43E\U0001F440\U0001F442-\U0001F4F7'
               || '\U0001F4F9-\U0001F4FC\U0001F500-\U0001F53D\U0001F540-\U0001F543'
               || '\U0001F550-\U0001F567\U0001F5FB-\U0001F640\U0001F645-\U0001F64F'
               || '\U0001F680-\U0001F6C5\U0001F700-\U0001F773\U000E0001'
               || '\U000E0020-\U000E007F\U000E0100-\U000E01EF' || ']+',
            ' ', 'g'),
            U&'\0041\0042\0043\0044\0045\0046\0047\0048\0049\004A\004B\004C\004D\004E'
               || U&'\004F\0050\0051\0052\0053\0054\0055\0056\0057\0058\0059\005A\00B5\00C0'
               || U&'\00C1\00C2\00C3\00C4\00C5\00C6\00C7\00C8\00C9\00CA\00CB\00CC\00CD\00CE'
               || U&'\00CF\00D0\00D1\00D2\00D3\00D4\00D5\00D6\00D8\00D9\00DA\00DB\00DC\00DD'
               || U&'\00DE\00E0\00E1\00E2\00E3\00E4\00E5\00E7\00E8\00E9\00EA\00EB\00EC\00ED'
               || U&'\00EE\00EF\00F1\00F2\00F3\00F4\00F5\00F6\00F9\00FA\00FB\00FC\00FD\00FF'
               || U&'\0100\0101\0102\0103\0104\0105\0106\0107\0108\0109\010A\010B\010C\010D'
               || U&'\010E\010F\0110\0112\0113\0114\0115\0116\0117\0118\0119\011A\011B\011C'
               || U&'\011D\011E\011F\0120\0121\0122\0123\0124\0125\0126\0128\0129\012A\012B'
               || U&'\012C\012D\012E\012F\0130\0132\0134\0135\0136\0137\0139\013A\013B\013C'
               || U&'\013D\013E\013F\0141\0143\0144\0145\0146\0147\0148\014A\014C\014D\014E'
               || U&'\014F\0150\0151\0152\0154\0155\0156\0157\0158\0159\015A\015B\015C\015D'
               || U&'\015E\015F\0160\0161\0162\0163\0164\0165\0166\0168\0169\016A\016B\016C'
               || U&'\016D\016E\016F\0170\0171\0172\0173\0174\0175\0176\0177\0178\0179\017A'
               || U&'\017B\017C\017D\017E\017F\0181\0182\0184\0186\0187\0189\018A\018B\018E'
               || U&'\018F\0190\0191\0193\0194\0196\0197\0198\019C\019D\019F\01A0\01A1\01A2'
               || U&'\01A4\01A6\01A7\01A9\01AC\01AE\01AF\01B0\01B1\01B2\01B3\01B5\01B7\01B8'
               || U&'\01BC\01C4\01C5\01C7\01C8\01CA\01CB\01CD\01CE\01CF\01D0\01D1\01D2\01D3'
               || U&'\01D4\01D5\01D6\01D7\01D8\01D9\01DA\01DB\01DC\01DE\01DF\01E0\01E2\01E4'
               || U&'\01E6\01E7\01E8\01E9\01EA\01EB\01EC\01ED\01EE\01F0\01F1\01F2\01F4\01F5'
               || U&'\01F6\01F7\01F8\01F9\01FA\01FB\01FC\01FE\0200\0201\0202\0203\0204\0205'
               || U&'\0206\0207\0208\0209\020A\020B\020C\020D\020E\020F\0210\0211\0212\0213'
               || U&'\0214\0215\0216\0217\0218\0219\021A\021B\021C\021E\021F\0220\0222\0224'
               || U&'\0226\0227\0228\0229\022A\022B\022C\022D\022E\022F\0230\0231\0232\0233'
               || U&'\023A\023B\023D\023E\0241\0243\0244\0245\0246\0248\024A\024C\024E\0370'
               || U&'\0372\0376\0386\0388\0389\038A\038C\038E\038F\0391\0392\0393\0394\0395'
               || U&'\0396\0397\0398\0399\039A\039B\039C\039D\039E\039F\03A0\03A1\03A3\03A4'
               || U&'\03A5\03A6\03A7\03A8\03A9\03AA\03AB\03C2\03CF\03D0\03D1\03D5\03D6\03D8'
               || U&'\03DA\03DC\03DE\03E0\03E2\03E4\03E6\03E8\03EA\03EC\03EE\03F0\03F1\03F4'
               || U&'\03F5\03F7\03F9\03FA\03FD\03FE\03FF\0400\0401\0402\0403\0404\0405\0406'
               || U&'\0407\0408\0409\040A\040B\040C\040D\040E\040F\0410\0411\0412\0413\0414'
               || U&'\0415\0416\0417\0418\0419\041A\041B\041C\041D\041E\041F\0420\0421\0422'
               || U&'\0423\0424\0425\0426\0427\0428\0429\042A\042B\042C\042D\042E\042F\0460'
               || U&'\0462\0464\0466\0468\046A\046C\046E\0470\0472\0474\0476\0478\047A\047C'
               || U&'\047E\0480\048A\048C\048E\0490\0492\0494\0496\0498\049A\049C\049E\04A0'
               || U&'\04A2\04A4\04A6\04A8\04AA\04AC\04AE\04B0\04B2\04B4\04B6\04B8\04BA\04BC'
               || U&'\04BE\04C0\04C1\04C3\04C5\04C7\04C9\04CB\04CD\04D0\04D2\04D4\04D6\04D8'
               || U&'\04DA\04DC\04DE\04E0\04E2\04E4\04E6\04E8\04EA\04EC\04EE\04F0\04F2\04F4'
               || U&'\04F6\04F8\04FA\04FC\04FE\0500\0502\0504\0506\0508\050A\050C\050E\0510'
               || U&'\0512\0514\0516\0518\051A\051C\051E\0520\0522\0524\0526\0531\0532\0533'
               || U&'\0534\0535\0536\0537\0538\0539\053A\053B\053C\053D\053E\053F\0540\0541'
               || U&'\0542\0543\0544\0545\0546\0547\0548\0549\054A\054B\054C\054D\054E\054F'
               || U&'\0550\0551\0552\0553\0554\0555\0556\10A0\10A1\10A2\10A3\10A4\10A5\10A6'
               || U&'\10A7\10A8\10A9\10AA\10AB\10AC\10AD\10AE\10AF\10B0\10B1\10B2\10B3\10B4'
               || U&'\10B5\10B6\10B7\10B8\10B9\10BA\10BB\10BC\10BD\10BE\10BF\10C0\10C1\10C2'
               || U&'\10C3\10C4\10C5\10C7\10CD\1E00\1E01\1E02\1E03\1E04\1E05\1E06\1E07\1E08'
               || U&'\1E09\1E0A\1E0B\1E0C\1E0D\1E0E\1E0F\1E10\1E11\1E12\1E13\1E14\1E15\1E16'
               || U&'\1E17\1E18\1E19\1E1A\1E1B\1E1C\1E1D\1E1E\1E1F\1E20\1E21\1E22\1E23\1E24'
               || U&'\1E25\1E26\1E27\1E28\1E29\1E2A\1E2B\1E2C\1E2D\1E2E\1E2F\1E30\1E31\1E32'
               || U&'\1E33\1E34\1E35\1E36\1E37\1E38\1E39\1E3A\1E3B\1E3C\1E3D\1E3E\1E3F\1E40'
               || U&'\1E41\1E42\1E43\1E44\1E45\1E46\1E47\1E48\1E49\1E4A\1E4B\1E4C\1E4D\1E4E'
               || U&'\1E4F\1E50\1E51\1E52\1E53\1E54\1E55\1E56\1E57\1E58\1E59\1E5A\1E5B\1E5C'
               || U&'\1E5D\1E5E\1E5F\1E60\1E61\1E62\1E63\1E64\1E65\1E66\1E67\1E68\1E69\1E6A'
               || U&'\1E6B\1E6C\1E6D\1E6E\1E6F\1E70\1E71\1E72\1E73\1E74\1E75\1E76\1E77\1E78'
               || U&'\1E79\1E7A\1E7B\1E7C\1E7D\1E7E\1E7F\1E80\1E81\1E82\1E83\1E84\1E85\1E86'
               || U&'\1E87\1E88\1E89\1E8A\1E8B\1E8C\1E8D\1E8E\1E8F\1E90\1E91\1E92\1E93\1E94'
               || U&'\1E95\1E96\1E97\1E98\1E99\1E9B\1E9E\1EA0\1EA1\1EA2\1EA3\1EA4\1EA5\1EA6'
               || U&'\1EA7\1EA8\1EA9\1EAA\1EAB\1EAC\1EAD\1EAE\1EAF\1EB0\1EB1\1EB2\1EB3\1EB4'
               || U&'\1EB5\1EB6\1EB7\1EB8\1EB9\1EBA\1EBB\1EBC\1EBD\1EBE\1EBF\1EC0\1EC1\1EC2'
               || U&'\1EC3\1EC4\1EC5\1EC6\1EC7\1EC8\1EC9\1ECA\1ECB\1ECC\1ECD\1ECE\1ECF\1ED0'
               || U&'\1ED1\1ED2\1ED3\1ED4\1ED5\1ED6\1ED7\1ED8\1ED9\1EDA\1EDB\1EDC\1EDD\1EDE'
               || U&'\1EDF\1EE0\1EE1\1EE2\1EE3\1EE4\1EE5\1EE6\1EE7\1EE8\1EE9\1EEA\1EEB\1EEC'
               || U&'\1EED\1EEE\1EEF\1EF0\1EF1\1EF2\1EF3\1EF4\1EF5\1EF6\1EF7\1EF8\1EF9\1EFA'
               || U&'\1EFC\1EFE\1F08\1F09\1F0A\1F0B\1F0C\1F0D\1F0E\1F0F\1F18\1F19\1F1A\1F1B'
               || U&'\1F1C\1F1D\1F28\1F29\1F2A\1F2B\1F2C\1F2D\1F2E\1F2F\1F38\1F39\1F3A\1F3B'
               || U&'\1F3C\1F3D\1F3E\1F3F\1F48\1F49\1F4A\1F4B\1F4C\1F4D\1F59\1F5B\1F5D\1F5F'
               || U&'\1F68\1F69\1F6A\1F6B\1F6C\1F6D\1F6E\1F6F\1F88\1F89\1F8A\1F8B\1F8C\1F8D'
               || U&'\1F8E\1F8F\1F98\1F99\1F9A\1F9B\1F9C\1F9D\1F9E\1F9F\1FA8\1FA9\1FAA\1FAB'
               || U&'\1FAC\1FAD\1FAE\1FAF\1FB8\1FB9\1FBA\1FBB\1FBC\1FBE\1FC8\1FC9\1FCA\1FCB'
               || U&'\1FCC\1FD8\1FD9\1FDA\1FDB\1FE8\1FE9\1FEA\1FEB\1FEC\1FF8\1FF9\1FFA\1FFB'
               || U&'\1FFC\2126\212A\212B\2132\2160\2161\2162\2163\2164\2165\2166\2167\2168'
               || U&'\2169\216A\216B\216C\216D\216E\216F\2183\2C00\2C01\2C02\2C03\2C04\2C05'
               || U&'\2C06\2C07\2C08\2C09\2C0A\2C0B\2C0C\2C0D\2C0E\2C0F\2C10\2C11\2C12\2C13'
               || U&'\2C14\2C15\2C16\2C17\2C18\2C19\2C1A\2C1B\2C1C\2C1D\2C1E\2C1F\2C20\2C21'
               || U&'\2C22\2C23\2C24\2C25\2C26\2C27\2C28\2C29\2C2A\2C2B\2C2C\2C2D\2C2E\2C60'
               || U&'\2C62\2C63\2C64\2C67\2C69\2C6B\2C6D\2C6E\2C6F\2C70\2C72\2C75\2C7E\2C7F'
               || U&'\2C80\2C82\2C84\2C86\2C88\2C8A\2C8C\2C8E\2C90\2C92\2C94\2C96\2C98\2C9A'
               || U&'\2C9C\2C9E\2CA0\2CA2\2CA4\2CA6\2CA8\2CAA\2CAC\2CAE\2CB0\2CB2\2CB4\2CB6'
               || U&'\2CB8\2CBA\2CBC\2CBE\2CC0\2CC2\2CC4\2CC6\2CC8\2CCA\2CCC\2CCE\2CD0\2CD2'
               || U&'\2CD4\2CD6\2CD8\2CDA\2CDC\2CDE\2CE0\2CE2\2CEB\2CED\2CF2\A640\A642\A644'
               || U&'\A646\A648\A64A\A64C\A64E\A650\A652\A654\A656\A658\A65A\A65C\A65E\A660'
               || U&'\A662\A664\A666\A668\A66A\A66C\A680\A682\A684\A686\A688\A68A\A68C\A68E'
               || U&'\A690\A692\A694\A696\A722\A724\A726\A728\A72A\A72C\A72E\A732\A734\A736'
               || U&'\A738\A73A\A73C\A73E\A740\A742\A744\A746\A748\A74A\A74C\A74E\A750\A752'
               || U&'\A754\A756\A758\A75A\A75C\A75E\A760\A762\A764\A766\A768\A76A\A76C\A76E'
               || U&'\A779\A77B\A77D\A77E\A780\A782\A784\A786\A78B\A78D\A790\A792\A7A0\A7A2'
               || U&'\A7A4\A7A6\A7A8\A7AA\FF21\FF22\FF23\FF24\FF25\FF26\FF27\FF28\FF29\FF2A'
               || U&'\FF2B\FF2C\FF2D\FF2E\FF2F\FF30\FF31\FF32\FF33\FF34\FF35\FF36\FF37\FF38'
               || U&'\FF39\FF3A\+010400\+010401\+010402\+010403\+010404\+010405\+010406'
               || U&'\+010407\+010408\+010409\+01040A\+01040B\+01040C\+01040D\+01040E\+01040F'
               || U&'\+010410\+010411\+010412\+010413\+010414\+010415\+010416\+010417\+010418'
               || U&'\+010419\+01041A\+01041B\+01041C\+01041D\+01041E\+01041F\+010420\+010421'
               || U&'\+010422\+010423\+010424\+010425\+010426\+010427\0300\0301\0302\0303'
               || U&'\0304\0306\0307\0308\0309\030A\030B\030C\030F\0311\031B\0323\0324\0325'
               || U&'\0326\0327\0328\032D\032E\0330\0331',
            U&'\0061\0062\0063\0064\0065\0066\0067\0068\0069\006A\006B\006C\006D\006E'
               || U&'\006F\0070\0071\0072\0073\0074\0075\0076\0077\0078\0079\007A\03BC\0061'
               || U&'\0061\0061\0061\0061\0061\00E6\0063\0065\0065\0065\0065\0069\0069\0069'
               || U&'\0069\00F0\006E\006F\006F\006F\006F\006F\00F8\0075\0075\0075\0075\0079'
               || U&'\00FE\0061\0061\0061\0061\0061\0061\0063\0065\0065\0065\0065\0069\0069'
               || U&'\0069\0069\006E\006F\006F\006F\006F\006F\0075\0075\0075\0075\0079\0079'
               || U&'\0061\0061\0061\0061\0061\0061\0063\0063\0063\0063\0063\0063\0063\0063'
               || U&'\0064\0064\0111\0065\0065\0065\0065\0065\0065\0065\0065\0065\0065\0067'
               || U&'\0067\0067\0067\0067\0067\0067\0067\0068\0068\0127\0069\0069\0069\0069'
               || U&'\0069\0069\0069\0069\0069\0133\006A\006A\006B\006B\006C\006C\006C\006C'
               || U&'\006C\006C\0140\0142\006E\006E\006E\006E\006E\006E\014B\006F\006F\006F'
               || U&'\006F\006F\006F\0153\0072\0072\0072\0072\0072\0072\0073\0073\0073\0073'
               || U&'\0073\0073\0073\0073\0074\0074\0074\0074\0167\0075\0075\0075\0075\0075'
               || U&'\0075\0075\0075\0075\0075\0075\0075\0077\0077\0079\0079\0079\007A\007A'
               || U&'\007A\007A\007A\007A\0073\0253\0183\0185\0254\0188\0256\0257\018C\01DD'
               || U&'\0259\025B\0192\0260\0263\0269\0268\0199\026F\0272\0275\006F\006F\01A3'
               || U&'\01A5\0280\01A8\0283\01AD\0288\0075\0075\028A\028B\01B4\01B6\0292\01B9'
               || U&'\01BD\01C6\01C6\01C9\01C9\01CC\01CC\0061\0061\0069\0069\006F\006F\0075'
               || U&'\0075\0075\0075\0075\0075\0075\0075\0075\0075\0061\0061\01E1\01E3\01E5'
               || U&'\0067\0067\006B\006B\006F\006F\006F\006F\01EF\006A\01F3\01F3\0067\0067'
               || U&'\0195\01BF\006E\006E\0061\0061\01FD\01FF\0061\0061\0061\0061\0065\0065'
               || U&'\0065\0065\0069\0069\0069\0069\006F\006F\006F\006F\0072\0072\0072\0072'
               || U&'\0075\0075\0075\0075\0073\0073\0074\0074\021D\0068\0068\019E\0223\0225'
               || U&'\0061\0061\0065\0065\006F\006F\006F\006F\006F\006F\006F\006F\0079\0079'
               || U&'\2C65\023C\019A\2C66\0242\0180\0289\028C\0247\0249\024B\024D\024F\0371'
               || U&'\0373\0377\03AC\03AD\03AE\03AF\03CC\03CD\03CE\03B1\03B2\03B3\03B4\03B5'
               || U&'\03B6\03B7\03B8\03B9\03BA\03BB\03BC\03BD\03BE\03BF\03C0\03C1\03C3\03C4'
               || U&'\03C5\03C6\03C7\03C8\03C9\03CA\03CB\03C3\03D7\03B2\03B8\03C6\03C0\03D9'
               || U&'\03DB\03DD\03DF\03E1\03E3\03E5\03E7\03E9\03EB\03ED\03EF\03BA\03C1\03B8'
               || U&'\03B5\03F8\03F2\03FB\037B\037C\037D\0450\0451\0452\0453\0454\0455\0456'
               || U&'\0457\0458\0459\045A\045B\045C\045D\045E\045F\0430\0431\0432\0433\0434'
               || U&'\0435\0436\0437\0438\0439\043A\043B\043C\043D\043E\043F\0440\0441\0442'
               || U&'\0443\0444\0445\0446\0447\0448\0449\044A\044B\044C\044D\044E\044F\0461'
               || U&'\0463\0465\0467\0469\046B\046D\046F\0471\0473\0475\0477\0479\047B\047D'
               || U&'\047F\0481\048B\048D\048F\0491\0493\0495\0497\0499\049B\049D\049F\04A1'
               || U&'\04A3\04A5\04A7\04A9\04AB\04AD\04AF\04B1\04B3\04B5\04B7\04B9\04BB\04BD'
               || U&'\04BF\04CF\04C2\04C4\04C6\04C8\04CA\04CC\04CE\04D1\04D3\04D5\04D7\04D9'
               || U&'\04DB\04DD\04DF\04E1\04E3\04E5\04E7\04E9\04EB\04ED\04EF\04F1\04F3\04F5'
               || U&'\04F7\04F9\04FB\04FD\04FF\0501\0503\0505\0507\0509\050B\050D\050F\0511'
               || U&'\0513\0515\0517\0519\051B\051D\051F\0521\0523\0525\0527\0561\0562\0563'
               || U&'\0564\0565\0566\0567\0568\0569\056A\056B\056C\056D\056E\056F\0570\0571'
               || U&'\0572\0573\0574\0575\0576\0577\0578\0579\057A\057B\057C\057D\057E\057F'
               || U&'\0580\0581\0582\0583\0584\0585\0586\2D00\2D01\2D02\2D03\2D04\2D05\2D06'
               || U&'\2D07\2D08\2D09\2D0A\2D0B\2D0C\2D0D\2D0E\2D0F\2D10\2D11\2D12\2D13\2D14'
               || U&'\2D15\2D16\2D17\2D18\2D19\2D1A\2D1B\2D1C\2D1D\2D1E\2D1F\2D20\2D21\2D22'
               || U&'\2D23\2D24\2D25\2D27\2D2D\0061\0061\0062\0062\0062\0062\0062\0062\0063'
               || U&'\0063\0064\0064\0064\0064\0064\0064\0064\0064\0064\0064\0065\0065\0065'
               || U&'\0065\0065\0065\0065\0065\0065\0065\0066\0066\0067\0067\0068\0068\0068'
               || U&'\0068\0068\0068\0068\0068\0068\0068\0069\0069\0069\0069\006B\006B\006B'
               || U&'\006B\006B\006B\006C\006C\006C\006C\006C\006C\006C\006C\006D\006D\006D'
               || U&'\006D\006D\006D\006E\006E\006E\006E\006E\006E\006E\006E\006F\006F\006F'
               || U&'\006F\006F\006F\006F\006F\0070\0070\0070\0070\0072\0072\0072\0072\0072'
               || U&'\0072\0072\0072\0073\0073\0073\0073\0073\0073\0073\0073\0073\0073\0074'
               || U&'\0074\0074\0074\0074\0074\0074\0074\0075\0075\0075\0075\0075\0075\0075'
               || U&'\0075\0075\0075\0076\0076\0076\0076\0077\0077\0077\0077\0077\0077\0077'
               || U&'\0077\0077\0077\0078\0078\0078\0078\0079\0079\007A\007A\007A\007A\007A'
               || U&'\007A\0068\0074\0077\0079\0073\00DF\0061\0061\0061\0061\0061\0061\0061'
               || U&'\0061\0061\0061\0061\0061\0061\0061\0061\0061\0061\0061\0061\0061\0061'
               || U&'\0061\0061\0061\0065\0065\0065\0065\0065\0065\0065\0065\0065\0065\0065'
               || U&'\0065\0065\0065\0065\0065\0069\0069\0069\0069\006F\006F\006F\006F\006F'
               || U&'\006F\006F\006F\006F\006F\006F\006F\006F\006F\006F\006F\006F\006F\006F'
               || U&'\006F\006F\006F\006F\006F\0075\0075\0075\0075\0075\0075\0075\0075\0075'
               || U&'\0075\0075\0075\0075\0075\0079\0079\0079\0079\0079\0079\0079\0079\1EFB'
               || U&'\1EFD\1EFF\1F00\1F01\1F02\1F03\1F04\1F05\1F06\1F07\1F10\1F11\1F12\1F13'
               || U&'\1F14\1F15\1F20\1F21\1F22\1F23\1F24\1F25\1F26\1F27\1F30\1F31\1F32\1F33'
               || U&'\1F34\1F35\1F36\1F37\1F40\1F41\1F42\1F43\1F44\1F45\1F51\1F53\1F55\1F57'
               || U&'\1F60\1F61\1F62\1F63\1F64\1F65\1F66\1F67\1F80\1F81\1F82\1F83\1F84\1F85'
               || U&'\1F86\1F87\1F90\1F91\1F92\1F93\1F94\1F95\1F96\1F97\1FA0\1FA1\1FA2\1FA3'
               || U&'\1FA4\1FA5\1FA6\1FA7\1FB0\1FB1\1F70\1F71\1FB3\03B9\1F72\1F73\1F74\1F75'
               || U&'\1FC3\1FD0\1FD1\1F76\1F77\1FE0\1FE1\1F7A\1F7B\1FE5\1F78\1F79\1F7C\1F7D'
               || U&'\1FF3\03C9\006B\0061\214E\2170\2171\2172\2173\2174\2175\2176\2177\2178'
               || U&'\2179\217A\217B\217C\217D\217E\217F\2184\2C30\2C31\2C32\2C33\2C34\2C35'
               || U&'\2C36\2C37\2C38\2C39\2C3A\2C3B\2C3C\2C3D\2C3E\2C3F\2C40\2C41\2C42\2C43'
               || U&'\2C44\2C45\2C46\2C47\2C48\2C49\2C4A\2C4B\2C4C\2C4D\2C4E\2C4F\2C50\2C51'
               || U&'\2C52\2C53\2C54\2C55\2C56\2C57\2C58\2C59\2C5A\2C5B\2C5C\2C5D\2C5E\2C61'
               || U&'\026B\1D7D\027D\2C68\2C6A\2C6C\0251\0271\0250\0252\2C73\2C76\023F\0240'
               || U&'\2C81\2C83\2C85\2C87\2C89\2C8B\2C8D\2C8F\2C91\2C93\2C95\2C97\2C99\2C9B'
               || U&'\2C9D\2C9F\2CA1\2CA3\2CA5\2CA7\2CA9\2CAB\2CAD\2CAF\2CB1\2CB3\2CB5\2CB7'
               || U&'\2CB9\2CBB\2CBD\2CBF\2CC1\2CC3\2CC5\2CC7\2CC9\2CCB\2CCD\2CCF\2CD1\2CD3'
               || U&'\2CD5\2CD7\2CD9\2CDB\2CDD\2CDF\2CE1\2CE3\2CEC\2CEE\2CF3\A641\A643\A645'
               || U&'\A647\A649\A64B\A64D\A64F\A651\A653\A655\A657\A659\A65B\A65D\A65F\A661'
               || U&'\A663\A665\A667\A669\A66B\A66D\A681\A683\A685\A687\A689\A68B\A68D\A68F'
               || U&'\A691\A693\A695\A697\A723\A725\A727\A729\A72B\A72D\A72F\A733\A735\A737'
               || U&'\A739\A73B\A73D\A73F\A741\A743\A745\A747\A749\A74B\A74D\A74F\A751\A753'
               || U&'\A755\A757\A759\A75B\A75D\A75F\A761\A763\A765\A767\A769\A76B\A76D\A76F'
               || U&'\A77A\A77C\1D79\A77F\A781\A783\A785\A787\A78C\0265\A791\A793\A7A1\A7A3'
               || U&'\A7A5\A7A7\A7A9\0266\FF41\FF42\FF43\FF44\FF45\FF46\FF47\FF48\FF49\FF4A'
               || U&'\FF4B\FF4C\FF4D\FF4E\FF4F\FF50\FF51\FF52\FF53\FF54\FF55\FF56\FF57\FF58'
               || U&'\FF59\FF5A\+010428\+010429\+01042A\+01042B\+01042C\+01042D\+01042E'
               || U&'\+01042F\+010430\+010431\+010432\+010433\+010434\+010435\+010436\+010437'
               || U&'\+010438\+010439\+01043A\+01043B\+01043C\+01043D\+01043E\+01043F\+010440'
               || U&'\+010441\+010442\+010443\+010444\+010445\+010446\+010447\+010448\+010449'
               || U&'\+01044A\+01044B\+01044C\+01044D\+01044E\+01044F');
    ELSE
        folded := regexp_replace(translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
                                 '[^a-z0-9]+', ' ', 'g');
    END IF;
    FOREACH w IN ARRAY string_to_array(folded, ' ') LOOP
        CONTINUE WHEN w = '';
        s := w;
        IF octet_length(w) BETWEEN 3 AND 64 THEN
            -- Step 1b makes a double consonant single after taking off "ed"
            -- or "ing" ("trekking", "trek"): Snowball for b, d, f, g, m, n,
            -- p, r and t only, FTS5 for every consonant but l, s and z. The
            -- word goes to Snowball as it is after the step; Snowball's later
            -- steps then do what FTS5's do.
            IF (s LIKE '%ed' OR s LIKE '%ing') AND s !~ 'eed$'
               AND s ~ '([aeiou]|[^aeiou]y).*([chjkqvwx])\2(ed|ing)$' THEN
                s := regexp_replace(s, '([chjkqvwx])\1(ed|ing)$', '\1');
            END IF;
            s := coalesce((ts_lexize(dict, s))[1], s);
            -- FTS5 also reduces "logi" to "log" and "bli" to "ble" (not only
            -- "abli" to "able") when the rest has m > 0, rules of Porter's
            -- own later version. Snowball changes neither after step 1, so
            -- its result still ends in them; "ble" then loses its "e"
            -- (step 5), or "ible" all of it when the rest has m > 1 (step 4).
            IF s LIKE '%logi' AND left(s, -4) ~ m0 THEN
                s := left(s, -1);
            ELSIF s LIKE '%bli' AND s NOT LIKE '%abli' AND left(s, -3) ~ m0 THEN
                s := CASE WHEN s LIKE '%ibli' AND left(s, -4) ~ m1
                          THEN regexp_replace(left(s, -4), 'll$', 'l') ELSE left(s, -1) END;
            END IF;
            -- FTS5 takes step 1's suffixes off words that are nothing else;
            -- Snowball keeps a stem of at least one letter.
            s := CASE w WHEN 'eed' THEN 'e' WHEN 'ies' THEN 'ie' WHEN 'sses' THEN 'sse' ELSE s END;
        END IF;
        words := words || s;
    END LOOP;
    RETURN words;
END
$$;

-- The document: title words weighted A at positions 1..n, summary words
-- weighted B from n + 2, so that no phrase runs from one column into the
-- other (FTS5 matches a phrase within one column). Positions stop at
-- PostgreSQL's largest, 16383. A word is a quoted lexeme; no word holds a
-- quote or a backslash, since both separate words. Both functions cost
-- about a millisecond a role: their COST makes the planner use the index
-- rather than compute a document for every role.
DROP INDEX roles_fts;
CREATE OR REPLACE FUNCTION roles_search_document(title text, summary text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 10000
    RETURN (SELECT coalesce(string_agg('''' || w || ''':' || least(pos, 16383) || weight, ' '), '')::tsvector
            FROM (SELECT techpay_search_words(title, 'techpay_porter') AS tw,
                         techpay_search_words(summary, 'techpay_porter') AS sw) AS doc,
                 LATERAL (SELECT w, n AS pos, 'A' AS weight FROM unnest(doc.tw) WITH ORDINALITY AS t (w, n)
                          UNION ALL
                          SELECT w, n + cardinality(doc.tw) + 1, 'B'
                          FROM unnest(doc.sw) WITH ORDINALITY AS s (w, n)) AS words);
CREATE INDEX roles_fts ON roles USING gin (roles_search_document(title, summary));
DROP TEXT SEARCH CONFIGURATION techpay_search;
DROP TEXT SEARCH DICTIONARY techpay_stem;

-- The search words the handler builds for FTS5 ("machine"* "learn"*) as
-- the same query: each quoted term split and stemmed as the document, a
-- term of several words a phrase whose last word is a prefix, all terms
-- required. A term without words is left out, as FTS5 leaves it out;
-- with none left, the query is one lexeme no document holds (a space).
CREATE FUNCTION techpay_search_query(fts5 text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 10000
    RETURN (SELECT coalesce(string_agg('(' || phrase || ')', ' & ' ORDER BY n), ''' ''')::tsquery
            FROM (SELECT m.n,
                         (SELECT string_agg('''' || w || '''' || CASE WHEN k = cardinality(ws) THEN ':*' ELSE '' END,
                                            ' <-> ' ORDER BY k)
                          FROM unnest(ws) WITH ORDINALITY AS x (w, k)) AS phrase
                  FROM regexp_matches(fts5, '"([^"]*)"\*', 'g') WITH ORDINALITY AS m (g, n),
                       LATERAL (SELECT techpay_search_words(m.g[1], 'techpay_porter') AS ws) AS s
                  WHERE cardinality(ws) > 0) AS terms);
