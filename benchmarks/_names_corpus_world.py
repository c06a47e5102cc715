"""Labelled name pairs, part 2: other scripts and encodings (see names_corpus.py).

Each pair is (register spelling, attendee spelling) of one invented person.
Look-alike letters, invisible characters and decomposed forms are written as
escapes so that a reader sees them; mojibake is written as it appears when
UTF-8 bytes are read as Windows-1252.
"""

from __future__ import annotations

import unicodedata
from typing import Final

PAIRS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "homoglyphs": (
        ("Joanna Pike", "J\u043eanna Pike"),  # Cyrillic o
        ("Martin Ekström", "M\u0430rtin Ekström"),  # Cyrillic a
        ("Peter Calloway", "\u0420eter Calloway"),  # Cyrillic Er
        ("Celia Romero", "\u0421elia Romero"),  # Cyrillic Es
        ("Ximena Aguirre", "\u0425imena Aguirre"),  # Cyrillic Ha
        ("Kenneth Ayala", "\u039aenneth Ayala"),  # Greek Kappa
        ("Tessa Morgan", "\u03a4essa Morgan"),  # Greek Tau
        ("Noah Briggs", "\u039doah Briggs"),  # Greek Nu
        ("Oliver Stanton", "Oliv\u0435r St\u0430nton"),  # Cyrillic ie, a
        ("Isaac Moreno", "\u0406saac Moreno"),  # Cyrillic I
        ("Hector Salinas", "\u13bbector Salinas"),  # Cherokee MI
        ("Sarah Whitlock", "\u13daarah Whitlock"),  # Cherokee DU
        ("Amir Farouk", "\u13aamir Farouk"),  # Cherokee GO
        ("Owen Hughes", "\u0555wen Hughes"),  # Armenian Oh
        ("Laura Bennett", "La\u057dra Bennett"),  # Armenian seh
        ("Diego Lozano", "Dieg\u0585 Lozano"),  # Armenian oh
        ("Elena Marsh", "El\u200bena Marsh"),  # zero-width space
        ("Kevin Ochoa", "Ke\u200dvin Ochoa"),  # zero-width joiner
        ("Rebecca Stone", "Rebec\u00adca Stone"),  # soft hyphen
        ("Tomas Brenner", "\u2060Tomas Brenner"),  # word joiner
        ("Yara Haddad", "Yara Hadd\u200cad"),  # zero-width non-joiner
        ("Felix Wagner", "Felix Wagner\ufeff"),  # byte order mark
        ("Lydia Crane", "\u200eLydia Crane\u200e"),  # left-to-right marks
        ("Bruno Costa", "Bruno C\u043est\u0430"),  # Cyrillic o, a
        ("Emma Schuster", "\u0395mma Schuster"),  # Greek Epsilon
        ("Julian Roth", "\u0408ulian Roth"),  # Cyrillic Je
        ("Cora Vaughn", "\u13df\u0585ra Vaughn"),  # Cherokee TLI, Armenian oh
        ("Marta Viana", "\u13b7arta Viana"),  # Cherokee LU
        ("Walter Prince", "\u13b3alter Prince"),  # Cherokee LA
    ),
    "unicode_normalization": (
        ("Takeshi Morita", "Ｔａｋｅｓｈｉ Ｍｏｒｉｔａ"),
        ("Hiroko Aoki", "Ｈｉｒｏｋｏ\u3000Ａｏｋｉ"),
        ("Keiko Hayashi", "Ｈａｙａｓｈｉ，Ｋｅｉｋｏ"),
        ("Lucía Benítez", unicodedata.normalize("NFD", "Lucía Benítez")),
        ("Émilie Carré", unicodedata.normalize("NFD", "Émilie Carré")),
        ("Jiří Hruška", unicodedata.normalize("NFD", "Jiří Hruška")),
        ("Phạm Quốc Bảo", unicodedata.normalize("NFD", "Phạm Quốc Bảo")),
        ("한서윤", unicodedata.normalize("NFD", "한서윤")),
        (unicodedata.normalize("NFD", "Søren Ågård"), "Søren Ågård"),
        ("Steffen Hofmann", "Ste\ufb00en Hofmann"),  # ff ligature
        ("Sofia Flores", "So\ufb01a Flores"),  # fi ligature
        ("Raffaella Conti", "Ra\ufb00aella Conti"),
        ("Florian Weiß", "\ufb02orian Weiß"),  # fl ligature
        ("Ulf Wolff", "Ulf Wol\ufb00"),
        ("Bénédicte Loeillet", "Bénédicte L\u0153illet"),  # oe ligature
        ("Femke IJzerman", "Femke \u0132zerman"),  # Dutch IJ
        ("Džemal Hodžić", "\u01c5emal Hod\u017ei\u0107"),  # Dz-caron digraph
        ("Arthur Penrose II", "Arthur Penrose \u2161"),  # Roman numeral two
        ("Noor Hamid", "𝐍𝐨𝐨𝐫 𝐇𝐚𝐦𝐢𝐝"),
        ("Elise Carver", "𝘌𝘭𝘪𝘴𝘦 𝘊𝘢𝘳𝘷𝘦𝘳"),
        ("Ava Linwood", "ᴀᴠᴀ ʟɪɴᴡᴏᴏᴅ"),  # small caps
        ("スズキ タクヤ", "ｽｽﾞｷ ﾀｸﾔ"),  # half-width katakana
        ("Kalani Kaʻahanui", "Kalani Kaahanui"),  # okina
        ("Marie-Louise Fabre", "Marie\u2011Louise Fabre"),  # non-breaking hyphen
    ),
    "mojibake": (
        ("Anaïs Lebrun", "AnaÃ¯s Lebrun"),
        ("Paweł Nowicki", "PaweÅ‚ Nowicki"),
        ("Dörthe Müller", "DÃ¶rthe MÃ¼ller"),
        ("Françoise Baudin", "FranÃ§oise Baudin"),
        ("Adrián Núñez", "AdriÃ¡n NÃºÃ±ez"),
        ("Göran Ekdahl", "GÃ¶ran Ekdahl"),
        ("Štěpán Král", "Å\u00a0tÄ›pÃ¡n KrÃ¡l"),
        ("Çağan Yücel", "Ã‡aÄŸan YÃ¼cel"),
        ("Niamh O’Kelly", "Niamh Oâ€™Kelly"),
        ("Mélanie Bérard", "MÃ©lanie BÃ©rard"),
        ("Jürgen Weiß", "JÃ¼rgen WeiÃŸ"),
        ("Inês Conceição", "InÃªs ConceiÃ§Ã£o"),
        ("Bjørn Kvåle", "BjÃ¸rn KvÃ¥le"),
        ("Renée Côté", "RenÃ©e CÃ´tÃ©"),
        ("Zoë Fairbanks", "ZoÃ« Fairbanks"),
        ("Tomasz Wójcik", "Tomasz WÃ³jcik"),
        ("Lívia Gonçalves", "LÃ\u00advia GonÃ§alves"),
        ("Dagný Þórhallsdóttir", "DagnÃ½ ÃžÃ³rhallsdÃ³ttir"),
        ("Chloé Lévêque", "ChloÃ© LÃ©vÃªque"),
        ("Søren Mæhle", "SÃ¸ren MÃ¦hle"),
        ("Ramón Cañizares", "RamÃ³n CaÃ±izares"),
        ("Asunción Peñalver", "AsunciÃ³n PeÃ±alver"),
        ("Hélio Simões", "HÃ©lio SimÃµes"),
        ("Fatoş Gündoğdu", "FatoÅŸ GÃ¼ndoÄŸdu"),
        ("Noël Garçon", "NoÃ«l GarÃ§on"),
    ),
    "chinese": (
        ("张伟明", "Zhang Weiming"),
        ("Wang Xiaohong", "王晓红"),
        ("刘洋", "Yang Liu"),
        ("陈思远", "Siyuan Chen"),
        ("李嘉欣", "Jia-Xin Li"),
        ("Zhou Ming Hui", "Zhou Minghui"),
        ("黄俊杰", "Huang Jun Jie"),
        ("孙丽娟", "Lijuan Sun"),
        ("Xu Haoran", "Haoran Xu"),
        ("赵子涵", "ZHAO Zihan"),
        ("郭婷婷", "Tingting Guo"),
        ("吴建国", "WU Jianguo"),
        ("林佳慧", "Lin Jiahui"),
        ("何振宇", "He Zhen-Yu"),
        ("马晓东", "Xiaodong Ma"),
        ("Zheng Yiwen", "郑一文"),
        ("高雪梅", "Xuemei Gao"),
        ("罗浩", "Luo Hao"),
        ("梁文博", "Wenbo Liang"),
        ("谢雨桐", "Xie Yutong"),
        ("韩磊", "Lei Han"),
        ("Deng Jiayi", "Jiayi Deng"),
        ("陳建宏", "Chen Chien-Hung"),
        ("張雅婷", "Chang Ya-Ting"),
        ("黃志明", "Huang Chih-Ming"),
        ("陳家豪", "Chan Ka Ho"),
        ("劉偉", "刘伟"),
    ),
    "korean": (
        ("김민준", "Kim Min-jun"),
        ("이서연", "Seoyeon Lee"),
        ("박지훈", "Park Ji Hoon"),
        ("Gim Hyeon-u", "Kim Hyun Woo"),
        ("최수빈", "Choi Soo-bin"),
        ("정하은", "Jung Ha-eun"),
        ("Yi Jae-won", "Lee Jaewon"),
        ("강동현", "Kang Dong-hyun"),
        ("조은비", "Cho Eun-bi"),
        ("윤서준", "Yoon Seo-jun"),
        ("장예린", "Jang Ye-rin"),
        ("임도윤", "Lim Do-yoon"),
        ("한유나", "Han Yu-na"),
        ("오승현", "Oh Seung-hyun"),
        ("Bak Sang-min", "Park Sangmin"),
        ("신지호", "Shin Ji-ho"),
        ("권나연", "Kwon Na-yeon"),
        ("Noh Tae-yang", "노태양"),
        ("송민서", "Minseo Song"),
        ("황재현", "Hwang Jae Hyun"),
        ("Choe Yeong-ho", "Choi Young-ho"),
        ("서하준", "Suh Ha-jun"),
        ("배수진", "Bae Su-jin"),
        ("Rhee Kyung-soo", "이경수"),
    ),
    "japanese": (
        ("佐藤健太", "Kenta Sato"),
        ("Takahashi Yūko", "Yuko Takahashi"),
        ("Ōno Kōji", "Koji Ohno"),
        ("伊藤 翔太", "Shota Ito"),
        ("Saitō Ryō", "Ryo Saito"),
        ("加藤 美咲", "Misaki Kato"),
        ("Kōda Hiroshi", "Hiroshi Kouda"),
        ("中村 大輔", "Daisuke Nakamura"),
        ("小林 さくら", "Sakura Kobayashi"),
        ("やまもと ゆい", "Yui Yamamoto"),
        ("タナカ ハルト", "Haruto Tanaka"),
        ("Shūhei Endō", "Shuhei Endoh"),
        ("Yōsuke Kondō", "Yousuke Kondou"),
        ("Ryūnosuke Ishii", "Ryunosuke Ishii"),
        ("松本 真由美", "Mayumi Matsumoto"),
        ("Ōkubo Rina", "Rina Okubo"),
        ("Gotō Yūta", "Yuta Goto"),
        ("井上 拓海", "Takumi Inoue"),
        ("Shōji Kaori", "Kaori Shoji"),
        ("木下 優子", "Yuko Kinoshita"),
        ("Jun'ichi Mori", "Junichi Mori"),
        ("清水 恭子", "Kyoko Shimizu"),
        ("Sasaki Kyōsuke", "Kyosuke Sasaki"),
        ("山口 陽菜", "Hina Yamaguchi"),
    ),
    "cyrillic": (
        ("Сергей Кузнецов", "Sergey Kuznetsov"),
        ("Алёна Фёдорова", "Alyona Fyodorova"),
        ("Артём Ковалёв", "Artem Kovalev"),
        ("Ольга Щербакова", "Olga Shcherbakova"),
        ("Юлия Жукова", "Iuliia Zhukova"),
        ("Андрей Васильев", "Andrei Vasilyev"),
        ("Наталья Егорова", "Natalia Egorova"),
        ("Ксения Соловьёва", "Kseniya Solovyova"),
        ("Евгений Павлов", "Evgeniy Pavlov"),
        ("Алексей Михайлов", "Alexey Mikhailov"),
        ("Фёдор Гусев", "Fedor Gusev"),
        ("Светлана Зайцева", "Svetlana Zaitseva"),
        ("Олексій Гончаренко", "Oleksii Honcharenko"),
        ("Юрій Ткаченко", "Yurii Tkachenko"),
        ("Віталій Кравчук", "Vitaliy Kravchuk"),
        ("Георги Димитров", "Georgi Dimitrov"),
        ("Милош Јовановић", "Miloš Jovanović"),
        ("Ирина Волкова", "Irina Volkova"),
        ("Максим Орлов", "Maxim Orlov"),
        ("Татьяна Ершова", "Tatyana Yershova"),
        ("Игорь Белоусов", "Igor Belousov"),
        ("Анна Семёнова", "Anna Semyonova"),
        ("Кирилл Щукин", "Kirill Shchukin"),
        ("Elena Nikolaeva", "Елена Николаева"),
        ("Лебедев Владимир Сергеевич", "Vladimir Lebedev"),
    ),
    "greek": (
        ("Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos"),
        ("Δημήτρης Αλεξίου", "Dimitris Alexiou"),
        ("Κατερίνα Μαυρίδου", "Katerina Mavridou"),
        ("Νίκος Χατζηγεωργίου", "Nikos Hatzigeorgiou"),
        ("Ελένη Βασιλείου", "Eleni Vasiliou"),
        ("Θεόδωρος Ζαχαρίου", "Theodoros Zachariou"),
        ("Σταύρος Μπαλτάς", "Stavros Baltas"),
        ("Ευάγγελος Ντόκος", "Evangelos Dokos"),
        ("Χρήστος Λαμπράκης", "Christos Lambrakis"),
        ("Αικατερίνη Γεωργίου", "Aikaterini Georgiou"),
        ("Παναγιώτης Κωνσταντίνου", "Panagiotis Konstantinou"),
        ("Σοφία Ξανθοπούλου", "Sofia Xanthopoulou"),
        ("Ιωάννης Ψαρράς", "Ioannis Psarras"),
        ("Αθανάσιος Ρήγας", "Athanasios Rigas"),
        ("Ευτυχία Δούκα", "Eftychia Douka"),
        ("Μαρία Γκίκα", "Maria Gika"),
        ("Βασίλης Φωτίου", "Vassilis Fotiou"),
        ("Σπυρίδων Μάρκου", "Spyridon Markou"),
        ("Άννα Τσακίρη", "Anna Tsakiri"),
        ("Φίλιππος Κυριακίδης", "Philippos Kiriakidis"),
        ("Γιάννης Οικονόμου", "Yannis Ikonomou"),
        ("Ηλίας Ζερβός", "Ilias Zervos"),
        ("Δέσποινα Αγγελοπούλου", "Despina Angelopoulou"),
        ("Dimitra Kostopoulou", "Δήμητρα Κωστοπούλου"),
    ),
    "arabic": (
        ("أحمد الخطيب", "Ahmed Al-Khatib"),
        ("Mahmoud Abdel-Rahman", "Mahmud Abd al-Rahman"),
        ("Yousef Haddad", "Youssef Haddad"),
        ("خالد المنصوري", "Khalid Al Mansoori"),
        ("Omar bin Saleh Al-Harbi", "Omar Ibn Saleh Alharbi"),
        ("ليلى حداد", "Layla Haddad"),
        ("Hussein el-Sayed", "Hussain Al Sayed"),
        ("Abdullah Al-Rashid", "Abdallah Elrashid"),
        ("نورة القحطاني", "Noura Al-Qahtani"),
        ("Tarek El-Masry", "Tariq Al Masri"),
        ("Mohamad Jaber", "Muhammed Jaber"),
        ("Karim Bou Saab", "Kareem Bousaab"),
        ("سعيد البنا", "Saeed El Banna"),
        ("Rania Abou Zeid", "Rania Abuzeid"),
        ("Ibrahim Al-Zahrani", "Ebrahim Alzahrani"),
        ("عائشة يوسف", "Aisha Youssef"),
        ("Hamza Qureshi", "Hamza Quraishi"),
        ("Ziad Shaheen", "Ziyad Shahin"),
        ("Faisal bin Turki Al-Otaibi", "Faisal Al-Otaibi"),
        ("Salma Abdel Aziz", "Salma Abdelaziz"),
        ("حسن الشامي", "Hassan Al-Shami"),
        ("Abdulrahman Al-Dosari", "Abdul Rahman Aldossary"),
        ("Jamal Eddine Tazi", "Jamaleddine Tazi"),
        ("Mariam El Idrissi", "Maryam Al-Idrisi"),
        ("Bilal Hamdan", "بلال حمدان"),
    ),
    "indian_initials": (
        ("K. R. Lakshmi", "Lakshmi K R"),
        ("V. Anand Kumar", "Anand Kumar V"),
        ("P. Srinivasan", "Srinivasan P."),
        ("T. M. Karthik", "Karthik T M"),
        ("S. Meenakshi", "Meenakshi Sundaram"),
        ("G. Harish", "Harish Gopalakrishnan"),
        ("N. Divya", "Divya N"),
        ("M. S. Prakash", "Prakash M.S."),
        ("B. Suresh Babu", "Suresh Babu B"),
        ("R. Deepa", "Deepa Raghavan"),
        ("Kolla Venkata Ramana Murthy", "K. V. Ramana Murthy"),
        ("J. Anitha", "Anitha Jayaraman"),
        ("C. Vignesh", "Vignesh C"),
        ("Sathish Kumar S", "S. Sathish Kumar"),
        ("Priyanka R", "R. Priyanka"),
        ("E. Kavitha", "Kavitha Elango"),
        ("D. Rajesh", "Rajesh D."),
        ("Lakshmi Narayanan V", "V. Lakshminarayanan"),
        ("H. N. Shreyas", "Shreyas H N"),
        ("M. Aishwarya", "Aishwarya Murugan"),
        ("K. Nandini", "Nandini K"),
        ("A. P. Gokul", "Gokul A. P."),
        ("T. Saravanan", "Saravanan Thangavel"),
        ("N. R. Vasudevan", "Vasudevan N R"),
        ("G. Keerthana", "Keerthana G."),
    ),
}
